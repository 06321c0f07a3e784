/**
 * Decoded spans column by column, in the `spans` table's terms (see `store/schema.ts`): what the store
 * appends as DuckDB data chunks, and what a decode worker hands to the main thread. Numbers travel as typed
 * arrays (transferable, no per-span bigint), text as arrays of strings; one `Origin` per ScopeSpans block.
 */
import { originId } from './origin-id.js';
import type { Origin, SpanRow } from './rows.js';

export interface TraceRanges {
  traceId: string[];
  minStartNs: BigInt64Array;
  maxStartNs: BigInt64Array;
}

export interface SpanColumns {
  count: number;
  traceId: string[];
  spanId: string[];
  parentSpanId: string[];
  name: string[];
  kind: Int8Array;
  startNs: BigInt64Array;
  endNs: BigInt64Array;
  durationNs: BigInt64Array;
  statusCode: Int8Array;
  flags: Uint32Array;
  attributes: string[];
  /** The rarely set fields as JSON (trace state, status message, events, links, dropped counts), or null. */
  detail: (string | null)[];
  /** Per span, its index in `origins`. */
  origin: Uint32Array;
  /** With `id` set. */
  origins: Origin[];
  /** One entry per trace of this batch: where in time its spans start. */
  traces: TraceRanges;
}

const INT64_MAX = 9223372036854775807n;

/** OTLP times are unsigned 64-bit; DuckDB BIGINT is signed. Real clocks never reach the top bit. */
function ns(v: bigint): bigint {
  return v > INT64_MAX ? INT64_MAX : v;
}

function tiny(v: number): number {
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

/** The `detail` column: the rarely set span fields as one JSON object, or null when all are empty. */
export function spanDetail(s: SpanRow): string | null {
  if (
    s.events === '[]' &&
    s.links === '[]' &&
    s.traceState === '' &&
    s.statusMessage === '' &&
    s.droppedAttributes === 0 &&
    s.droppedEvents === 0 &&
    s.droppedLinks === 0
  )
    return null;
  return `{"traceState":${JSON.stringify(s.traceState)},"statusMessage":${JSON.stringify(s.statusMessage)},"events":${s.events},"links":${s.links},"droppedAttributes":${s.droppedAttributes},"droppedEvents":${s.droppedEvents},"droppedLinks":${s.droppedLinks}}`;
}

/**
 * Turns decoded span rows into columns.
 *
 * @example
 * const columns = spanColumns(decodeTracesProtobuf(body).rows);
 */
export function spanColumns(rows: readonly SpanRow[]): SpanColumns {
  const n = rows.length;
  const c: SpanColumns = {
    count: n,
    traceId: new Array<string>(n),
    spanId: new Array<string>(n),
    parentSpanId: new Array<string>(n),
    name: new Array<string>(n),
    kind: new Int8Array(n),
    startNs: new BigInt64Array(n),
    endNs: new BigInt64Array(n),
    durationNs: new BigInt64Array(n),
    statusCode: new Int8Array(n),
    flags: new Uint32Array(n),
    attributes: new Array<string>(n),
    detail: new Array<string | null>(n),
    origin: new Uint32Array(n),
    origins: [],
    traces: { traceId: [], minStartNs: new BigInt64Array(0), maxStartNs: new BigInt64Array(0) },
  };
  const ranges = new Map<string, [bigint, bigint]>();
  let last: Origin | undefined;
  let lastIndex = -1;
  for (let i = 0; i < n; i++) {
    const s = rows[i] as SpanRow;
    if (s.origin !== last) {
      last = s.origin;
      lastIndex = c.origins.indexOf(last);
      if (lastIndex < 0) {
        originId(last);
        lastIndex = c.origins.push(last) - 1;
      }
    }
    const start = ns(s.startNs);
    const end = ns(s.endNs);
    c.traceId[i] = s.traceId;
    c.spanId[i] = s.spanId;
    c.parentSpanId[i] = s.parentSpanId;
    c.name[i] = s.name;
    c.kind[i] = tiny(s.kind);
    c.startNs[i] = start;
    c.endNs[i] = end;
    c.durationNs[i] = end > start ? end - start : 0n;
    c.statusCode[i] = tiny(s.statusCode);
    c.flags[i] = s.flags >>> 0;
    c.attributes[i] = s.attributes;
    c.detail[i] = spanDetail(s);
    c.origin[i] = lastIndex;
    const range = ranges.get(s.traceId);
    if (range === undefined) ranges.set(s.traceId, [start, start]);
    else if (start < range[0]) range[0] = start;
    else if (start > range[1]) range[1] = start;
  }
  const traces = c.traces;
  traces.minStartNs = new BigInt64Array(ranges.size);
  traces.maxStartNs = new BigInt64Array(ranges.size);
  let t = 0;
  for (const [traceId, [lo, hi]] of ranges) {
    traces.traceId.push(traceId);
    traces.minStartNs[t] = lo;
    traces.maxStartNs[t] = hi;
    t++;
  }
  return c;
}

/** The buffers to transfer (not copy) when posting columns to another thread. */
export function spanColumnBuffers(c: SpanColumns): ArrayBuffer[] {
  return [
    c.kind,
    c.startNs,
    c.endNs,
    c.durationNs,
    c.statusCode,
    c.flags,
    c.origin,
    c.traces.minStartNs,
    c.traces.maxStartNs,
  ].map((a) => a.buffer as ArrayBuffer);
}
