import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { init, type SightlineHandle } from '../src/index.js';
import { extract, inject } from '../src/propagation/inject-extract.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

describe('sampling end to end through init() and OTLP', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      service: { name: 'sampling-e2e' },
      otlp: { endpoint: receiver.httpUrl },
      traces: {
        sampler: { name: 'sightline_adaptive', targetPerSecond: 100_000 },
        tail: {
          enabled: true,
          decisionWaitMillis: 50,
          latencyThresholdMillis: 200,
          fallbackRatio: 0,
        },
        batch: { scheduledDelayMillis: 50 },
      },
      metrics: { exportIntervalMillis: 200 },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  it('exports only the error, slow and upstream-kept traces, whole, with the keep hint sent downstream', async () => {
    const tracer = trace.getTracer('e2e');
    const expected = new Map<string, number>();
    const headers: Record<string, Record<string, string>> = {};
    const carrier = (): Record<string, string> => ({});
    const request = (kind: 'ok' | 'error' | 'slow', i: number) => {
      const startTime = kind === 'slow' ? Date.now() - 500 : Date.now();
      tracer.startActiveSpan(`GET /${kind}/${i}`, { startTime }, (root) => {
        const db = tracer.startSpan('SELECT');
        if (kind === 'error') db.setStatus({ code: SpanStatusCode.ERROR });
        db.end();
        // An outgoing call after the failure: this process already knows it keeps the trace.
        const client = tracer.startSpan('POST /downstream');
        headers[`${kind}${i}`] = inject(carrier(), trace.setSpan(context.active(), client));
        client.end();
        root.end();
        if (kind !== 'ok') expected.set(root.spanContext().traceId, 3);
      });
    };
    for (let i = 0; i < 10; i++) request('ok', i);
    for (let i = 0; i < 3; i++) request('error', i);
    for (let i = 0; i < 2; i++) request('slow', i);
    // A request from a service that already decided to keep: fast and fine, kept for upstream.
    const upstreamTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = extract({
      traceparent: `00-${upstreamTraceId}-00f067aa0ba902b7-01`,
      tracestate: 'sightline=keep,other=1',
    });
    tracer.startSpan('POST /charge', {}, parent).end();
    expected.set(upstreamTraceId, 1);

    assert.match(headers.error0?.tracestate ?? '', /sightline=keep/);
    assert.equal(headers.ok0?.tracestate, undefined);
    assert.equal(headers.slow0?.tracestate, undefined, 'a slow root is known only when it ends');

    await sleep(150);
    await sightline.flush();
    const spans = await receiver.waitFor(() => receiver.spans.length >= 16 && receiver.spans, {
      what: '16 kept spans',
    });
    await sleep(200);
    const perTrace = new Map<string, number>();
    for (const s of receiver.spans) perTrace.set(s.traceId, (perTrace.get(s.traceId) ?? 0) + 1);
    assert.deepEqual(perTrace, expected);
    assert.equal(spans.length, 16);

    const metric = await receiver.waitFor(
      () => {
        const m = receiver.metrics.findLast((x) => x.name === 'sightline.sampling.traces');
        const kept = (policy: string) =>
          m?.points.find((p) => p.attributes.decision === 'kept' && p.attributes.policy === policy)
            ?.value;
        return kept('error') === 3 && kept('latency') === 2 && kept('upstream') === 1 && m;
      },
      { what: 'sightline.sampling.traces', timeoutMs: 15_000 },
    );
    const dropped = metric.points.find((p) => p.attributes.decision === 'dropped');
    assert.equal(dropped?.value, 10);
    const ratio = receiver.metrics.findLast((x) => x.name === 'sightline.sampling.adaptive.ratio');
    assert.equal(ratio?.points[0]?.value, 1);
    for (const name of [
      'sightline.sampling.buffer.spans',
      'sightline.sampling.evictions',
      'sightline.sampling.late_spans',
    ])
      assert.ok(
        receiver.metrics.some((m) => m.name === name),
        name,
      );
  });
});
