import { type Context, type SpanContext, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace';
import { validSpanContextOf } from '../trace/span-context-validity.js';

// Shared results: a sampler returns one of these on its fast paths instead of allocating.
export const SAMPLED: SamplingResult = Object.freeze({
  decision: SamplingDecision.RECORD_AND_SAMPLED,
});
export const NOT_SAMPLED: SamplingResult = Object.freeze({
  decision: SamplingDecision.NOT_RECORD,
});

/** The valid parent span context of a context, if any, for a sampler (see `validSpanContextOf`). */
export function parentOf(context: Context, traceId: string): SpanContext | undefined {
  return validSpanContextOf(context, traceId);
}

/**
 * Follows the parent's decision, as the specification's ParentBased sampler does for local and
 * remote parents alike. "Samplers SHOULD return the TraceState from the passed-in Context."
 */
export function followParent(parent: SpanContext): SamplingResult {
  const sampled = (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
  if (parent.traceState === undefined) return sampled ? SAMPLED : NOT_SAMPLED;
  return {
    decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
    traceState: parent.traceState,
  };
}
