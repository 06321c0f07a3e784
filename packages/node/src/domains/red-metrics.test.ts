import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type OtlpReceiver,
  type ReceivedMetric,
  type ReceivedMetricPoint,
  startOtlpReceiver,
} from '../../test/support/otlp-receiver.js';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { withSpan } from '../spans/with-span.js';
import { defineSpanFamily } from './define-span-family.js';
import { DOMAINS_METER_SCOPE } from './red-metrics.js';

class TimeoutError extends Error {}

const jobs = defineSpanFamily('jobs', {
  runBatch: { attributes: { size: 'int' } },
  cleanup: {},
});

describe('RED metrics of a span family', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;

  const start = (serviceName: string) =>
    init({
      service: { name: serviceName },
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exportIntervalMillis: 60_000 },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = start('red');
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });
  beforeEach(() => receiver.reset());

  /** The most recent export of `name` (cumulative temporality: it holds every point so far). */
  async function metric(name: string): Promise<ReceivedMetric> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.metrics.findLast((m) => m.name === name), {
      what: name,
    });
  }
  const point = (m: ReceivedMetric, attributes: Record<string, unknown>): ReceivedMetricPoint => {
    const found = m.points.find((p) => JSON.stringify(p.attributes) === JSON.stringify(attributes));
    assert.ok(
      found,
      `${m.name} point ${JSON.stringify(attributes)} among ${JSON.stringify(m.points)}`,
    );
    return found;
  };

  it('records duration in seconds and a count per operation, with error.type on failures', async () => {
    jobs.runBatch({ size: 1 }, () => {});
    jobs.runBatch({ size: 2 }, () => {});
    await jobs.runBatch({ size: 3 }, () => sleep(30));
    jobs.cleanup({}, () => withSpan('inside cleanup', () => {}));
    assert.throws(() =>
      jobs.runBatch({}, () => {
        throw new TypeError('bad batch');
      }),
    );
    await assert.rejects(
      jobs.runBatch({}, async () => {
        throw new TimeoutError('slow');
      }),
    );
    await assert.rejects(jobs.runBatch({}, () => Promise.reject('a string')));

    const duration = await metric('jobs.operation.duration');
    assert.equal(duration.type, 'histogram');
    assert.equal(duration.unit, 's');
    assert.equal(duration.scope.name, DOMAINS_METER_SCOPE);
    const ok = point(duration, { 'jobs.operation.name': 'run_batch' });
    assert.equal(ok.count, 3);
    assert.ok(
      (ok.sum ?? 0) >= 0.025 && (ok.sum ?? 0) < 5,
      `sum ${ok.sum} s covers the 30 ms sleep`,
    );
    assert.equal(point(duration, { 'jobs.operation.name': 'cleanup' }).count, 1);
    for (const type of ['TypeError', 'TimeoutError', '_OTHER']) {
      const failed = point(duration, { 'jobs.operation.name': 'run_batch', 'error.type': type });
      assert.equal(failed.count, 1, type);
    }
    assert.equal(duration.points.length, 5);

    const count = await metric('jobs.operation.count');
    assert.equal(count.type, 'sum');
    assert.equal(count.isMonotonic, true);
    assert.equal(count.unit, '{operation}');
    assert.equal(point(count, { 'jobs.operation.name': 'run_batch' }).value, 3);
    assert.equal(point(count, { 'jobs.operation.name': 'cleanup' }).value, 1);
    assert.equal(
      point(count, { 'jobs.operation.name': 'run_batch', 'error.type': 'TimeoutError' }).value,
      1,
    );

    const cleanup = receiver.spans.find((s) => s.name === 'jobs.cleanup');
    const inside = receiver.spans.find((s) => s.name === 'inside cleanup');
    assert.equal(inside?.parentSpanId, cleanup?.spanId, 'metrics do not change how spans nest');
  });

  it('keeps error.type bounded: past 16 error classes per operation, the rest count as _OTHER', async () => {
    const flaky = defineSpanFamily('flaky', { call: {} });
    for (let i = 0; i < 20; i++) {
      const ErrorClass = { [`Error${i}`]: class extends Error {} }[`Error${i}`] as new () => Error;
      assert.throws(() =>
        flaky.call({}, () => {
          throw new ErrorClass();
        }),
      );
    }
    const count = await metric('flaky.operation.count');
    const types = count.points.map((p) => p.attributes['error.type']);
    assert.equal(types.length, 17);
    assert.equal(
      point(count, { 'flaky.operation.name': 'call', 'error.type': 'Error15' }).value,
      1,
    );
    assert.equal(point(count, { 'flaky.operation.name': 'call', 'error.type': '_OTHER' }).value, 4);
  });

  it('records nothing with metrics: false', async () => {
    const quiet = defineSpanFamily('quiet', { tick: {} }, { metrics: false });
    const loud = defineSpanFamily('loud', { tick: {} });
    quiet.tick({}, () => {});
    loud.tick({}, () => {});
    await metric('loud.operation.count');
    const names = receiver.metrics.map((m) => m.name);
    assert.deepEqual(
      names.filter((n) => n.startsWith('quiet.')),
      [],
    );
    await sightline.flush();
    assert.ok(
      receiver.spans.some((s) => s.name === 'quiet.tick'),
      'the span is still recorded',
    );
  });

  it('follows a re-init: records on the provider registered now, with counts of its own', async () => {
    const family = defineSpanFamily('reinit', { step: {} });
    family.step({}, () => {});
    const first = await metric('reinit.operation.count');
    assert.equal(first.points[0]?.value, 1);
    assert.equal(first.resource['service.name'], 'red');

    await sightline.shutdown();
    receiver.reset();
    family.step({}, () => {}); // no provider registered: nothing to record, nothing thrown
    sightline = start('red-again');
    family.step({}, () => {});
    family.step({}, () => {});
    const second = await metric('reinit.operation.count');
    assert.equal(second.resource['service.name'], 'red-again');
    assert.equal(second.points[0]?.value, 2);
  });
});
