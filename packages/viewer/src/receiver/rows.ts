/**
 * The store rows the decoders produce, one shape whatever the transport (protobuf, JSON, gRPC).
 * Attribute maps, events, links, bodies and bucket arrays are JSON text already (see `attribute-json.ts`),
 * so a row goes into DuckDB without another conversion.
 */
import type { SpanColumns } from './span-columns.js';

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

/**
 * The resource and instrumentation scope a span came from. One object is shared by all spans of a
 * ScopeSpans block; the store keeps it once (table `origins`) and spans refer to it by `id`.
 */
export interface Origin {
  service: string;
  resource: string;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: string;
  /** Set by the store: a 64-bit hash of the four texts above. */
  id?: bigint;
}

export interface SpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  statusMessage: string;
  flags: number;
  attributes: string;
  events: string;
  links: string;
  droppedAttributes: number;
  droppedEvents: number;
  droppedLinks: number;
  service: string;
  origin: Origin;
}

export interface MetricPointRow {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** 0 when the type has none (gauge, summary). */
  temporality: number;
  /** Sums only. */
  isMonotonic: boolean | null;
  service: string;
  resource: string;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: string;
  attributes: string;
  startNs: bigint;
  timeNs: bigint;
  flags: number;
  value: number | null;
  /** Set when the point was sent as_int (exact int64). */
  valueInt: bigint | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  bucketCounts: string | null;
  explicitBounds: string | null;
  scale: number | null;
  zeroCount: number | null;
  zeroThreshold: number | null;
  positive: string | null;
  negative: string | null;
  quantiles: string | null;
  exemplars: string;
}

export interface LogRow {
  timeNs: bigint;
  observedNs: bigint;
  severityNumber: number;
  severityText: string;
  /** The AnyValue body as JSON text ('null' when absent). */
  body: string;
  /** The body as plain text for search (a string body as is, anything else as its JSON). */
  bodyText: string;
  attributes: string;
  droppedAttributes: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
  service: string;
  resource: string;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: string;
}

/** Rows of one request plus the items refused individually (reported as OTLP partial success). */
export interface Decoded<Row> {
  rows: Row[];
  rejected: number;
  /** The first reasons for rejection, for the partial-success error message. */
  reasons: string[];
}

export type DecodedBatch =
  | { signal: 'traces'; data: Decoded<SpanRow> }
  | { signal: 'metrics'; data: Decoded<MetricPointRow> }
  | { signal: 'logs'; data: Decoded<LogRow> };

export type Signal = DecodedBatch['signal'];

/** What the ingest queue and the store take: decoded rows, or spans already in columns. */
export type StoreBatch = DecodedBatch | { signal: 'spans'; columns: SpanColumns };

/** Spans, points or records in a batch. */
export function storeBatchItems(b: StoreBatch): number {
  return b.signal === 'spans' ? b.columns.count : b.data.rows.length;
}

export function emptyDecoded<Row>(): Decoded<Row> {
  return { rows: [], rejected: 0, reasons: [] };
}

export function reject<Row>(target: Decoded<Row>, reason: string): void {
  target.rejected++;
  if (target.reasons.length < 3 && !target.reasons.includes(reason)) target.reasons.push(reason);
}
