const TWO_28 = 2 ** 28;
const TWO_56 = 2 ** 56;

/** A precomputed keep threshold for a ratio, compared against the random bits of a trace id. */
export interface TraceIdThreshold {
  readonly ratio: number;
  readonly high: number;
  readonly low: number;
}

/**
 * The threshold for keeping `ratio` of all trace ids. Like OpenTelemetry's consistent probability
 * sampling, it uses the last 56 bits of the trace id (the bits W3C Trace Context level 2 requires
 * to be random) and keeps a trace when they are at least `(1 - ratio) × 2^56`. Every process that
 * uses the same ratio therefore keeps the same traces, and a lower ratio keeps a subset of them.
 */
export function traceIdThreshold(ratio: number): TraceIdThreshold {
  const t = Math.min(TWO_56, Math.max(0, Math.round((1 - ratio) * TWO_56)));
  const high = Math.floor(t / TWO_28);
  return { ratio, high, low: t - high * TWO_28 };
}

/** Whether a trace id falls within the threshold's ratio. Invalid ids are not kept (unless ratio is 1). */
export function keepsTraceId(traceId: string, threshold: TraceIdThreshold): boolean {
  if (threshold.ratio >= 1) return true;
  if (threshold.ratio <= 0) return false;
  // Two 28-bit halves: exact in doubles, where one 56-bit number would not be.
  const high = Number.parseInt(traceId.slice(18, 25), 16);
  const low = Number.parseInt(traceId.slice(25, 32), 16);
  return high > threshold.high || (high === threshold.high && low >= threshold.low);
}
