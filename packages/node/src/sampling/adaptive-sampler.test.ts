import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { ManualClock, seededRandom } from '../../test/support/sampling-harness.js';
import { SightlineError } from '../errors.js';
import { AdaptiveSampler } from './adaptive-sampler.js';

const ID = '0af7651916cd43dd8448eb211c80319c';

/** Offers `perSecond` evenly spaced new traces for one 1-second window; returns how many were sampled. */
function window(sampler: AdaptiveSampler, clock: ManualClock, perSecond: number): number {
  let sampled = 0;
  const start = clock.t;
  for (let i = 0; i < perSecond; i++) {
    clock.t = start + (i * 1000) / perSecond;
    const result = sampler.shouldSample(ROOT_CONTEXT, ID, 'op', SpanKind.SERVER, {}, []);
    if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
  }
  clock.t = start + 1000;
  return sampled;
}

describe('adaptive sampler', () => {
  it('converges to its target within ±10% within ten windows after a 10x load step, without oscillating', () => {
    const clock = new ManualClock();
    const target = 1000;
    const sampler = new AdaptiveSampler({
      targetPerSecond: target,
      clock,
      random: seededRandom(5),
    });
    for (let w = 0; w < 10; w++) window(sampler, clock, 2000);
    const before = window(sampler, clock, 2000);
    assert.ok(Math.abs(before / target - 1) <= 0.1, `steady state: ${before}/s`);

    const ratios: number[] = [];
    const sampled: number[] = [];
    for (let w = 0; w < 20; w++) {
      sampled.push(window(sampler, clock, 20_000));
      ratios.push(sampler.ratio);
    }
    // Converged within ten windows and stays there.
    const first = sampled.findIndex((_n, i) =>
      sampled.slice(i).every((m) => Math.abs(m / target - 1) <= 0.1),
    );
    assert.ok(first >= 0 && first < 10, `sampled per window: ${sampled.join(', ')}`);
    // No oscillation: the ratio only moves down after a step up, never overshooting back up.
    for (let i = 1; i < ratios.length; i++)
      assert.ok(
        (ratios[i] as number) <= (ratios[i - 1] as number) + 1e-12,
        `ratios: ${ratios.join(', ')}`,
      );
    assert.ok(Math.abs((ratios.at(-1) as number) - 0.05) < 0.001);

    // And back down: a 10x drop lets the ratio rise monotonically to 1 (everything fits the target).
    const down: number[] = [];
    for (let w = 0; w < 10; w++) {
      window(sampler, clock, 500);
      down.push(sampler.ratio);
    }
    for (let i = 1; i < down.length; i++) assert.ok((down[i] as number) >= (down[i - 1] as number));
    assert.equal(down.at(-1), 1);
  });

  it('follows the parent decision, whatever its own ratio', () => {
    const clock = new ManualClock();
    const sampler = new AdaptiveSampler({ targetPerSecond: 0, clock, random: () => 0.5 });
    window(sampler, clock, 100);
    window(sampler, clock, 100);
    assert.equal(sampler.ratio, 0);
    const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: ID,
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const unsampledParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: ID,
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
    });
    const child = (ctx: typeof ROOT_CONTEXT) =>
      sampler.shouldSample(ctx, ID, 'child', SpanKind.INTERNAL, {}, []).decision;
    assert.equal(child(sampledParent), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(child(unsampledParent), SamplingDecision.NOT_RECORD);
    assert.equal(child(ROOT_CONTEXT), SamplingDecision.NOT_RECORD);
  });

  it('treats an invalid parent as no parent, whether or not the trace id matches it', () => {
    const sampler = new AdaptiveSampler({ targetPerSecond: 1000, random: () => 0 });
    const invalid = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '00000000000000000000000000000000',
      spanId: '0000000000000000',
      traceFlags: TraceFlags.NONE,
    });
    const malformed = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'not-hex-not-hex-not-hex-not-hex!',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
    });
    // The tracer gives an invalid parent's span a new trace id: the sampler decides as for a root.
    for (const ctx of [invalid, malformed]) {
      assert.equal(
        sampler.shouldSample(ctx, ID, 'root', SpanKind.INTERNAL, {}, []).decision,
        SamplingDecision.RECORD_AND_SAMPLED,
      );
    }
    assert.equal(
      sampler.shouldSample(
        invalid,
        '00000000000000000000000000000000',
        'x',
        SpanKind.INTERNAL,
        {},
        [],
      ).decision,
      SamplingDecision.RECORD_AND_SAMPLED,
      'an all-zero trace id is never taken as the parent trace',
    );
  });

  it('rejects a negative target', () => {
    assert.throws(
      () => new AdaptiveSampler({ targetPerSecond: -1 }),
      (e: unknown) =>
        e instanceof SightlineError && /"targetPerSecond" has invalid value -1/.test(e.message),
    );
  });
});
