/**
 * Appends `SpanColumns` to the `spans` appender as DuckDB data chunks: each number column is one memory
 * copy into its vector, each text value one call; per-value appender calls cost about twice as much on the
 * event loop. Column order and types must match `spans` in `schema.ts`.
 */
import {
  BIGINT,
  type DuckDBAppender,
  DuckDBDataChunk,
  INTEGER,
  TINYINT,
  UBIGINT,
  UINTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { SpanColumns } from '../receiver/span-columns.js';

const SPAN_TYPES = [
  INTEGER, // run_id
  VARCHAR, // trace_id
  VARCHAR, // span_id
  VARCHAR, // parent_span_id
  VARCHAR, // name
  TINYINT, // kind
  BIGINT, // start_ns
  BIGINT, // end_ns
  BIGINT, // duration_ns
  TINYINT, // status_code
  UINTEGER, // flags
  VARCHAR, // service
  VARCHAR, // attributes
  UBIGINT, // origin_id
  VARCHAR, // detail (nullable)
];

type Numbers = Int8Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export class SpanChunkWriter {
  private readonly chunk = DuckDBDataChunk.create(SPAN_TYPES);
  private readonly capacity = duckdb.vector_size();
  private readonly runIds = new Int32Array(this.capacity);
  private readonly originIds = new BigUint64Array(this.capacity);
  private readonly validity = new Uint8Array(Math.ceil(this.capacity / 64) * 8);
  private readonly services: string[] = [];

  constructor(private readonly appender: DuckDBAppender) {}

  /** Appends all spans of `c` for `runId`; durable only after the store commits. */
  write(runId: number, c: SpanColumns): void {
    for (let from = 0; from < c.count; from += this.capacity)
      this.writeChunk(runId, c, from, Math.min(this.capacity, c.count - from));
  }

  private writeChunk(runId: number, c: SpanColumns, from: number, n: number): void {
    const chunk = this.chunk.chunk;
    duckdb.data_chunk_reset(chunk);
    duckdb.data_chunk_set_size(chunk, n);
    const v = (i: number): duckdb.Vector => duckdb.data_chunk_get_vector(chunk, i);
    this.runIds.fill(runId, 0, n);
    const services = this.services;
    const originIds = this.originIds;
    for (let i = 0; i < n; i++) {
      const o = c.origins[c.origin[from + i] as number];
      services[i] = o?.service ?? '';
      originIds[i] = o?.id ?? 0n;
    }
    numbers(v(0), this.runIds, 0, n);
    strings(v(1), c.traceId, from, n);
    strings(v(2), c.spanId, from, n);
    strings(v(3), c.parentSpanId, from, n);
    strings(v(4), c.name, from, n);
    numbers(v(5), c.kind, from, n);
    numbers(v(6), c.startNs, from, n);
    numbers(v(7), c.endNs, from, n);
    numbers(v(8), c.durationNs, from, n);
    numbers(v(9), c.statusCode, from, n);
    numbers(v(10), c.flags, from, n);
    strings(v(11), services, 0, n);
    strings(v(12), c.attributes, from, n);
    numbers(v(13), originIds, 0, n);
    this.nullableStrings(v(14), c.detail, from, n);
    this.appender.appendDataChunk(this.chunk);
  }

  private nullableStrings(
    vector: duckdb.Vector,
    values: (string | null)[],
    from: number,
    n: number,
  ): void {
    const mask = this.validity;
    const bytes = Math.ceil(n / 64) * 8;
    mask.fill(0xff, 0, bytes);
    for (let i = 0; i < n; i++) {
      const s = values[from + i];
      if (s === null || s === undefined)
        mask[i >>> 3] = (mask[i >>> 3] as number) & ~(1 << (i & 7));
      else duckdb.vector_assign_string_element(vector, i, s);
    }
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, 0, bytes);
  }
}

function numbers(vector: duckdb.Vector, values: Numbers, from: number, n: number): void {
  const size = values.BYTES_PER_ELEMENT;
  duckdb.copy_data_to_vector(
    vector,
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset + from * size,
    n * size,
  );
}

function strings(vector: duckdb.Vector, values: string[], from: number, n: number): void {
  for (let i = 0; i < n; i++)
    duckdb.vector_assign_string_element(vector, i, values[from + i] as string);
}
