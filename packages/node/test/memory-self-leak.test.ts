import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { startMemoryTelemetry } from '../src/memory/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('memory telemetry does not leak itself', () => {
  it('lets a stopped telemetry be garbage-collected, with its profiler, observers and gauges', async () => {
    const meterProvider = new MeterProvider();
    const refs: WeakRef<object>[] = [];
    // In its own async function, whose frame is gone once it returns: a local of this test's frame
    // would keep the last telemetry alive by itself.
    const cycle = async () => {
      const telemetry = startMemoryTelemetry({ meterProvider, intervalMillis: 10 });
      telemetry.tick();
      refs.push(new WeakRef(telemetry), new WeakRef(telemetry.monitor));
      if (telemetry.profiler) refs.push(new WeakRef(telemetry.profiler));
      await new Promise((resolve) => setTimeout(resolve, 30));
      telemetry.stop();
      assert.equal(telemetry.profiler?.running ?? false, false);
    };
    for (let i = 0; i < 5; i++) await cycle();
    // Let pending timers and observer callbacks drain, then collect.
    for (let i = 0; i < 5 && refs.some((r) => r.deref() !== undefined); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    const alive = refs.filter((r) => r.deref() !== undefined).length;
    assert.equal(alive, 0, `${alive} of ${refs.length} objects still reachable after stop()`);
    await meterProvider.shutdown();
  });
});
