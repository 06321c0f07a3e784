import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { init, METRIC, METRICS, withSpan } from '../src/index.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';

describe('SDK health metrics, end to end', () => {
  it('reports spans started and ended, errors by type and export failures over OTLP', async () => {
    const receiver = await startOtlpReceiver();
    const sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exportIntervalMillis: 60_000 },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    try {
      for (let i = 0; i < 5; i++) withSpan('ok', () => i);
      for (const error of [new TypeError('a'), new TypeError('b'), new RangeError('c')]) {
        assert.throws(() =>
          withSpan('fails', () => {
            throw error;
          }),
        );
      }
      const open = withSpan('still open', (span) => span); // ended by withSpan
      assert.equal(open.isRecording(), false);
      await sightline.flush();
      const latest = (name: string) => receiver.metrics.findLast((m) => m.name === name);
      const started = await receiver.waitFor(() => latest(METRIC.SDK_SPANS_STARTED), {
        what: METRIC.SDK_SPANS_STARTED,
      });
      assert.equal(started.type, 'sum');
      assert.equal(started.isMonotonic, true);
      assert.equal(started.points[0]?.value, 9);
      assert.equal(latest(METRIC.SDK_SPANS_ENDED)?.points[0]?.value, 9);
      const errors = latest(METRIC.ERRORS);
      assert.deepEqual(
        Object.fromEntries(errors?.points.map((p) => [p.attributes['error.type'], p.value]) ?? []),
        { TypeError: 2, RangeError: 1 },
      );
      const failures = latest(METRIC.SDK_EXPORT_FAILURES);
      // The receiver was up the whole time: a failure count per signal, all zero.
      assert.ok(failures?.points.some((p) => p.attributes.signal === 'traces'));
      assert.deepEqual(
        failures?.points.map((p) => p.value),
        failures?.points.map(() => 0),
      );
      // Every metric the SDK exported here is in the catalogue, with its unit.
      const catalogue = new Map(METRICS.map((m) => [m.name, m]));
      for (const metric of receiver.metrics) {
        const entry = catalogue.get(metric.name);
        assert.ok(entry, `${metric.name} is emitted but not in the catalogue`);
        assert.equal(metric.unit, entry.unit, metric.name);
      }
    } finally {
      await sightline.shutdown();
      await receiver.stop();
    }
  });
});
