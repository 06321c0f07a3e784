import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { init } from '../src/index.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';

function captureDiag(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const record = (message: string) => warnings.push(message);
  diag.setLogger(
    { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { warnings, restore: () => diag.disable() };
}

describe('init() lifecycle', () => {
  it('warns and returns the same handle when called twice', async () => {
    const first = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const log = captureDiag();
    try {
      const second = init({ service: { name: 'ignored' } });
      assert.equal(second, first);
      assert.equal(log.warnings.length, 1);
      assert.match(log.warnings[0] ?? '', /init\(\) was called again/);
    } finally {
      log.restore();
      await first.shutdown();
    }
    // After shutdown a new init() starts afresh.
    const third = init({ enabled: false });
    assert.notEqual(third, first);
    await third.shutdown();
  });

  it('registers the global tracer provider, and releases it on shutdown', async () => {
    const sightline = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const span = trace.getTracer('t').startSpan('recorded');
    assert.equal(span.isRecording(), true);
    span.end();
    await sightline.shutdown();
    assert.equal(trace.getTracer('t').startSpan('after').isRecording(), false);
  });

  it('is a no-op when disabled: nothing registered, nothing exported', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const sightline = init({ enabled: false, otlp: { endpoint: receiver.httpUrl } });
      assert.equal(sightline.enabled, false);
      const span = trace.getTracer('t').startSpan('not recorded');
      assert.equal(span.isRecording(), false);
      span.end();
      sightline.meterProvider.getMeter('m').createCounter('c').add(1);
      sightline.loggerProvider.getLogger('l').emit({ body: 'x' });
      await sightline.flush();
      await sightline.shutdown();
      assert.equal(receiver.requests.length, 0);
    } finally {
      await receiver.stop();
    }
  });

  it('bounds shutdown by shutdown.timeoutMillis when the backend never answers', async () => {
    // A TCP server that accepts connections and never responds: the worst case for an exporter.
    const blackhole: Server = createServer(() => {});
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const port = (blackhole.address() as { port: number }).port;
    const sightline = init({
      otlp: { endpoint: `http://127.0.0.1:${port}`, timeoutMillis: 30_000 },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { timeoutMillis: 300, handleSignals: false },
    });
    const log = captureDiag(); // after init(), which installs its own diagnostic logger
    try {
      trace.getTracer('t').startSpan('stuck').end();
      await sightline.shutdown(); // resolves (bounded) instead of waiting for the 30 s export timeout
      assert.ok(
        log.warnings.some((w) => /shutdown did not finish within 300 ms/.test(w)),
        JSON.stringify(log.warnings),
      );
    } finally {
      log.restore();
      blackhole.close();
    }
  });

  it('throws SIGHTLINE_ERR_INVALID_OPTION at init for a bad option, registering nothing', () => {
    assert.throws(
      () => init({ traces: { sampler: { ratio: 1.5 } } }),
      /SIGHTLINE_ERR_INVALID_OPTION.*traces\.sampler\.ratio.*1\.5/,
    );
    assert.equal(trace.getTracer('t').startSpan('x').isRecording(), false);
  });
});
