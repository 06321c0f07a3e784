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
  if (threshold.ratio <= 0 || traceId.length !== 32) return false;
  // Two 28-bit halves: exact in doubles, where one 56-bit number would not be. Parsed in place:
  // the tail sampler asks this for every trace, and substrings would be garbage.
  const high = hex28(traceId, 18);
  const low = hex28(traceId, 25);
  if (high < 0 || low < 0) return false;
  return high > threshold.high || (high === threshold.high && low >= threshold.low);
}

/** Seven hex digits from `at`, or -1 if one is not a hex digit. */
function hex28(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + 7; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 32;
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (lower >= 97 && lower <= 102) d = lower - 87;
    else return -1;
    h = h * 16 + d;
  }
  return h;
}

/**
 * `keepsTraceId` for an id parsed into `key[at]` to `key[at + 3]` (see `traceIdWords`): the same
 * answer for every valid id, without reading the id string again.
 */
export function keepsTraceIdWords(
  key: Uint32Array,
  at: number,
  threshold: TraceIdThreshold,
): boolean {
  if (threshold.ratio >= 1) return true;
  if (threshold.ratio <= 0) return false;
  const w2 = key[at + 2] as number;
  const w3 = key[at + 3] as number;
  // Hex digits 18 to 24 and 25 to 31, as `keepsTraceId` reads them.
  const high = (w2 & 0xffffff) * 16 + (w3 >>> 28);
  const low = w3 & 0x0fffffff;
  return high > threshold.high || (high === threshold.high && low >= threshold.low);
}
