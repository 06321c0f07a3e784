import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { init } from '../src/index.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';

function captureDiag(): { messages: string[]; restore: () => void } {
  const messages: string[] = [];
  const record = (message: string) => messages.push(message);
  diag.setLogger(
    { error: record, warn: record, info: record, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true },
  );
  return { messages, restore: () => diag.disable() };
}

describe('exporter outage', () => {
  it('never throws into the app, bounds the queue, counts drops, reports once, and delivers later data', async () => {
    // Find a port, then take the receiver down: the backend is unreachable while the app runs.
    const first = await startOtlpReceiver();
    const port = Number(new URL(first.httpUrl).port);
    await first.stop();

    const sightline = init({
      otlp: { endpoint: `http://127.0.0.1:${port}`, timeoutMillis: 1000 },
      traces: { batch: { maxQueueSize: 50, maxExportBatchSize: 10, scheduledDelayMillis: 10 } },
      logs: { exporters: ['none'] },
      metrics: { exportIntervalMillis: 60_000 },
      shutdown: { handleSignals: false },
    });
    const log = captureDiag();
    let receiver: Awaited<ReturnType<typeof startOtlpReceiver>> | undefined;
    try {
      const tracer = trace.getTracer('t');
      for (let i = 0; i < 500; i++) tracer.startSpan(`during outage ${i}`).end(); // must not throw
      await sightline.flush();
      const failureWarnings = log.messages.filter((m) => /traces export to .* failed/.test(m));
      const queueWarnings = log.messages.filter((m) => /traces queue is full/.test(m));
      assert.equal(
        failureWarnings.length,
        1,
        `one failure report, not one per batch: ${JSON.stringify(log.messages)}`,
      );
      assert.equal(queueWarnings.length, 1, 'one queue-full report per episode');

      // The backend comes back on the same port; new data arrives, and so do the self-metrics.
      receiver = await startOtlpReceiver({ port });
      tracer.startSpan('after recovery').end();
      await sightline.flush();
      await receiver.waitFor(() => receiver?.spans.some((s) => s.name === 'after recovery'), {
        what: 'the span sent after recovery',
      });
      assert.ok(
        log.messages.some((m) => /traces export to .* recovered; \d+ items were dropped/.test(m)),
      );
      assert.ok(receiver.spans.length <= 50 + 1, 'the queue never held more than maxQueueSize');

      const dropped = await receiver.waitFor(
        () => receiver?.metrics.find((m) => m.name === 'sightline.sdk.dropped'),
        {
          what: 'sightline.sdk.dropped',
        },
      );
      const count = (reason: string) =>
        dropped.points.find(
          (p) => p.attributes.signal === 'traces' && p.attributes.reason === reason,
        )?.value ?? 0;
      // At most maxQueueSize waiting plus one batch in flight; everything else is refused at once.
      assert.ok(
        count('queue_full') >= 500 - 50 - 10,
        `queue_full drops counted: ${count('queue_full')}`,
      );
      assert.ok(count('export_failed') >= 1, `export failures counted: ${count('export_failed')}`);
      assert.equal(
        count('queue_full') + count('export_failed') + receiver.spans.length,
        501,
        'every span is either delivered or counted as dropped',
      );
      const failures = receiver.metrics.find((m) => m.name === 'sightline.sdk.export.failures');
      const traceFailures = failures?.points.find((p) => p.attributes.signal === 'traces')?.value;
      assert.ok((traceFailures ?? 0) >= 1, `failed export calls counted: ${traceFailures}`);
    } finally {
      log.restore();
      await sightline.shutdown();
      await receiver?.stop();
    }
  });

  it('retries a 503 with Retry-After and loses nothing', async () => {
    let refusals = 0;
    const receiver = await startOtlpReceiver({
      respond: (request) => {
        if (request.signal === 'traces' && refusals < 2) {
          refusals++;
          return { status: 503, headers: { 'retry-after': '1' } };
        }
        return undefined;
      },
    });
    const sightline = init({
      otlp: { endpoint: receiver.httpUrl, timeoutMillis: 10_000 },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    try {
      const tracer = trace.getTracer('t');
      for (let i = 0; i < 20; i++) tracer.startSpan(`span ${i}`).end();
      await sightline.flush();
      await receiver.waitFor(() => receiver.spans.length === 20, {
        what: 'all 20 spans after the retries',
      });
      assert.equal(refusals, 2);
      assert.equal(receiver.requests.filter((r) => r.signal === 'traces').length, 3);
    } finally {
      await sightline.shutdown();
      await receiver.stop();
    }
  });
});
