import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Attributes, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import {
  ManualClock,
  SeededIdGenerator,
  seededRandom,
} from '../../test/support/sampling-harness.js';
import { SightlineError } from '../errors.js';
import { ErrorBiasedSampler } from './error-biased-sampler.js';
import { hasKeepHint, withKeepHint } from './keep-hint.js';
import { RulesSampler } from './rules-sampler.js';

const ids = new SeededIdGenerator(seededRandom(9));

function share(
  sampler: RulesSampler | ErrorBiasedSampler,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  n = 20_000,
): number {
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const r = sampler.shouldSample(ROOT_CONTEXT, ids.generateTraceId(), name, kind, attributes, []);
    if (r.decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
  }
  return kept / n;
}

describe('rules sampler', () => {
  it('applies the first matching rule on name, kind, route and attributes, else the default', () => {
    const sampler = new RulesSampler({
      rules: [
        { name: 'GET /health*', ratio: 0 },
        { route: '/api/*/orders', kind: 'server', ratio: 0.5 },
        { attributes: { tenant: 'vip-*' }, ratio: 1 },
        { kind: 'consumer', ratio: 0.25 },
      ],
      defaultRatio: 0.1,
    });
    const close = (actual: number, expected: number) =>
      assert.ok(Math.abs(actual - expected) < 0.015, `${actual} vs ${expected}`);
    close(share(sampler, 'GET /healthz', SpanKind.SERVER, { tenant: 'vip-a' }), 0);
    close(share(sampler, 'GET', SpanKind.SERVER, { 'http.route': '/api/v1/orders' }), 0.5);
    close(share(sampler, 'GET', SpanKind.SERVER, { 'url.path': '/api/v2/orders' }), 0.5);
    close(share(sampler, 'GET', SpanKind.CLIENT, { 'http.route': '/api/v1/orders' }), 0.1);
    close(share(sampler, 'work', SpanKind.INTERNAL, { tenant: 'vip-b' }), 1);
    close(share(sampler, 'process', SpanKind.CONSUMER, {}), 0.25);
    close(share(sampler, 'other', SpanKind.INTERNAL, { tenant: 'free' }), 0.1);
  });

  it('rate-limits a rule with a token bucket', () => {
    const clock = new ManualClock();
    const sampler = new RulesSampler({ rules: [{ name: '*', ratePerSecond: 10 }], clock });
    let kept = 0;
    for (let i = 0; i < 10_000; i++) {
      clock.t = i; // 1000 spans/s for 10 s
      const r = sampler.shouldSample(
        ROOT_CONTEXT,
        ids.generateTraceId(),
        'op',
        SpanKind.SERVER,
        {},
        [],
      );
      if (r.decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
    }
    assert.ok(kept >= 100 && kept <= 111, `kept ${kept}`);
  });

  it('follows the parent and keeps its tracestate', () => {
    const sampler = new RulesSampler({ rules: [{ ratio: 0 }] });
    const traceState = withKeepHint(undefined);
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: ids.generateTraceId(),
      spanId: ids.generateSpanId(),
      traceFlags: TraceFlags.SAMPLED,
      traceState,
    });
    const r = sampler.shouldSample(parent, 'x', 'child', SpanKind.INTERNAL, {}, []);
    assert.equal(r.decision, SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(r.traceState, traceState);
  });

  it('names the rule and field of an invalid rule', () => {
    assert.throws(
      () => new RulesSampler({ rules: [{ name: 'a' }, { ratio: 2 }] }),
      (e: unknown) =>
        e instanceof SightlineError &&
        /\[1\]\.ratio: expected a number from 0 to 1/.test(e.message),
    );
  });
});

describe('error-biased sampler', () => {
  it('keeps every new trace whose start attributes point at trouble, with the keep hint', () => {
    const sampler = new ErrorBiasedSampler({ ratio: 0.1, attributes: { 'app.retry': 'true' } });
    for (const attributes of [
      { 'error.type': 'timeout' },
      { 'http.request.resend_count': 2 },
      { 'app.retry': true },
    ]) {
      const r = sampler.shouldSample(
        ROOT_CONTEXT,
        ids.generateTraceId(),
        'op',
        SpanKind.CLIENT,
        attributes,
        [],
      );
      assert.equal(r.decision, SamplingDecision.RECORD_AND_SAMPLED);
      assert.ok(hasKeepHint(r.traceState));
    }
    const ordinary = share(sampler, 'op', SpanKind.SERVER, { 'http.request.resend_count': 0 });
    assert.ok(Math.abs(ordinary - 0.1) < 0.015, `${ordinary}`);
  });

  it('overrides an unsampled parent that carries the keep hint', () => {
    const sampler = new ErrorBiasedSampler({ ratio: 0 });
    const parent = (traceState?: ReturnType<typeof withKeepHint>) =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: ids.generateTraceId(),
        spanId: ids.generateSpanId(),
        traceFlags: TraceFlags.NONE,
        isRemote: true,
        ...(traceState ? { traceState } : {}),
      });
    const decide = (ctx: typeof ROOT_CONTEXT) =>
      sampler.shouldSample(ctx, 'x', 'op', SpanKind.SERVER, {}, []).decision;
    assert.equal(decide(parent(withKeepHint(undefined))), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(parent()), SamplingDecision.NOT_RECORD);
  });
});
