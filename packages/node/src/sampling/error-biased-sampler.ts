import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { type Sampler, SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace';
import { invalidOption } from '../errors.js';
import { compileGlob, type GlobMatcher } from './glob.js';
import { hasKeepHint, withKeepHint } from './keep-hint.js';
import { followParent, NOT_SAMPLED, parentOf, SAMPLED } from './parent-decision.js';
import { keepsTraceId, type TraceIdThreshold, traceIdThreshold } from './trace-id-ratio.js';

export interface ErrorBiasedSamplerOptions {
  /** The ratio for ordinary new traces (`OTEL_TRACES_SAMPLER_ARG`). Default 1. */
  ratio?: number;
  /** More start attributes that mark a likely failure, as globs by key (e.g. `{ 'app.retry': '*' }`). */
  attributes?: Record<string, string>;
}

/**
 * The "error-based" strategy as far as a head sampler can take it. It decides when a span starts,
 * before anything can fail, so it cannot see real errors; what it can do is keep every new trace
 * whose start attributes already point at trouble (`error.type` or `exception.type` set, a retry:
 * `http.request.resend_count` >= 1, or your own `attributes`) and sample the rest at `ratio`. A trace
 * kept for such a reason carries the `sightline=keep` tracestate hint downstream. A parent that
 * is unsampled but carries the hint is overridden (kept); otherwise spans follow their parent.
 *
 * To keep the traces that actually failed, use tail sampling (`traces.tail`), which decides after
 * the trace ended; this sampler only biases what gets recorded in the first place.
 *
 * @example
 * ```ts
 * // or: OTEL_TRACES_SAMPLER=sightline_error_biased OTEL_TRACES_SAMPLER_ARG=0.1
 * const sampler = new ErrorBiasedSampler({ ratio: 0.1, attributes: { 'app.retry': 'true' } });
 * ```
 */
export class ErrorBiasedSampler implements Sampler {
  private readonly threshold: TraceIdThreshold;
  private readonly extra: Array<[string, GlobMatcher]>;

  constructor(options: ErrorBiasedSamplerOptions = {}) {
    const ratio = options.ratio ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1))
      invalidOption('ratio', ratio, 'a number from 0 to 1');
    this.threshold = traceIdThreshold(ratio);
    this.extra = Object.entries(options.attributes ?? {}).map(([k, g]) => [k, compileGlob(g)]);
  }

  shouldSample(
    context: Context,
    traceId: string,
    _name: string,
    _kind: SpanKind,
    attributes: Attributes,
    _links?: Link[],
  ): SamplingResult {
    const parent = parentOf(context, traceId);
    if (parent !== undefined) {
      if (hasKeepHint(parent.traceState))
        return { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: parent.traceState };
      return followParent(parent);
    }
    if (this.looksLikeTrouble(attributes))
      return { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: withKeepHint(undefined) };
    return keepsTraceId(traceId, this.threshold) ? SAMPLED : NOT_SAMPLED;
  }

  private looksLikeTrouble(a: Attributes): boolean {
    if (a['error.type'] !== undefined || a['exception.type'] !== undefined) return true;
    const resend = a['http.request.resend_count'];
    if (typeof resend === 'number' && resend >= 1) return true;
    for (const [key, glob] of this.extra) {
      const v = a[key];
      if (v !== undefined && glob(String(v))) return true;
    }
    return false;
  }

  toString(): string {
    return `ErrorBiasedSampler{ratio=${this.threshold.ratio}}`;
  }
}
