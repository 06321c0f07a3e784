import { createTraceState, type TraceState } from '@opentelemetry/api';

/** Our tracestate entry: `sightline=keep` tells downstream services this trace is being kept. */
export const KEEP_HINT_KEY = 'sightline';
export const KEEP_HINT_VALUE = 'keep';

/** Whether a tracestate carries our keep hint. */
export function hasKeepHint(traceState: TraceState | undefined): boolean {
  return traceState?.get(KEEP_HINT_KEY) === KEEP_HINT_VALUE;
}

/** The tracestate with our keep hint added (a new value; tracestate is immutable). */
export function withKeepHint(traceState: TraceState | undefined): TraceState {
  return (traceState ?? createTraceState()).set(KEEP_HINT_KEY, KEEP_HINT_VALUE);
}
