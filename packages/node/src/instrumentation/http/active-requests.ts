import type { Attributes, ObservableResult } from '@opentelemetry/api';
import type { HistogramRecorder, KeyedHistogram } from '../../metrics/keyed-histogram.js';

/** The duration point a pair's last request was recorded in, with what selected it. */
export interface LastDuration {
  readonly histogram: KeyedHistogram;
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  readonly protocolVersion: string;
  readonly route: string | undefined;
  readonly point: HistogramRecorder;
}

/** The in-flight server requests of one `http.request.method` × `url.scheme` pair. */
export interface ActiveRequests {
  readonly attributes: Attributes;
  value: number;
  /** Tried before the keyed lookup: consecutive requests mostly share their attribute set. */
  lastDuration: LastDuration | undefined;
}

// Plain counters on the hot path, read by an observable instrument at collection time. Bounded:
// the method is normalised (known methods + `_OTHER`) and the scheme is `http` or `https`.
const bySchemeAndMethod = new Map<string, Map<string, ActiveRequests>>();

/** The counter to increment when a request starts and decrement when it ends. */
export function activeRequests(method: string, scheme: string): ActiveRequests {
  let byMethod = bySchemeAndMethod.get(scheme);
  if (byMethod === undefined) {
    byMethod = new Map();
    bySchemeAndMethod.set(scheme, byMethod);
  }
  let entry = byMethod.get(method);
  if (entry === undefined) {
    entry = {
      attributes: { 'http.request.method': method, 'url.scheme': scheme },
      value: 0,
      lastDuration: undefined,
    };
    byMethod.set(method, entry);
  }
  return entry;
}

/** The callback of `http.server.active_requests`: one point per pair seen so far (0 included). */
export function observeActiveRequests(result: ObservableResult): void {
  for (const byMethod of bySchemeAndMethod.values())
    for (const entry of byMethod.values()) result.observe(entry.value, entry.attributes);
}
