import {
  type Context,
  INVALID_SPANID,
  INVALID_TRACEID,
  isSpanContextValid,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace';
import { LeanSpan } from '../trace/lean-span.js';

// Shared results: a sampler returns one of these on its fast paths instead of allocating.
export const SAMPLED: SamplingResult = Object.freeze({
  decision: SamplingDecision.RECORD_AND_SAMPLED,
});
export const NOT_SAMPLED: SamplingResult = Object.freeze({
  decision: SamplingDecision.NOT_RECORD,
});

/**
 * The valid parent span context of a context, if any. A Sightline span whose ids are valid by
 * construction is not checked again. The SDK's tracer continues a parent's trace only after
 * checking that the parent is valid, so a parent whose trace id is the one being sampled is valid
 * without `isSpanContextValid`'s pass over every character (most of a child's decision cost); any
 * other parent is checked.
 */
export function parentOf(context: Context, traceId: string): SpanContext | undefined {
  const span = trace.getSpan(context);
  if (span === undefined) return undefined;
  const parent = span.spanContext();
  if (span instanceof LeanSpan && span.hasValidIds) return parent;
  if (parent.traceId === traceId && traceId !== INVALID_TRACEID && parent.spanId !== INVALID_SPANID)
    return parent;
  return isSpanContextValid(parent) ? parent : undefined;
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
