/** Writes decoded rows into DuckDB appenders, value by value in schema order (see `schema.ts`); spans go in as chunks (`span-chunk-writer.ts`). */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { LogRow, MetricPointRow, Origin } from '../receiver/rows.js';

const INT64_MAX = 9223372036854775807n;

/** OTLP times are unsigned 64-bit; DuckDB BIGINT is signed. Real clocks never reach the top bit. */
function ns(v: bigint): bigint {
  return v > INT64_MAX ? INT64_MAX : v;
}

function u32(v: number): number {
  return v >>> 0;
}

function tiny(v: number): number {
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

function nullableDouble(a: DuckDBAppender, v: number | null): void {
  if (v === null) a.appendNull();
  else a.appendDouble(v);
}

function nullableUBig(a: DuckDBAppender, v: number | null): void {
  if (v === null) a.appendNull();
  else a.appendUBigInt(BigInt(Math.max(0, Math.trunc(v))));
}

function nullableVarchar(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

export function appendTraceRange(a: DuckDBAppender, traceId: string, lo: bigint, hi: bigint): void {
  a.appendVarchar(traceId);
  a.appendBigInt(ns(lo));
  a.appendBigInt(ns(hi));
  a.endRow();
}

export function appendOrigin(a: DuckDBAppender, o: Origin, id: bigint): void {
  a.appendUBigInt(id);
  a.appendVarchar(o.service);
  a.appendVarchar(o.resource);
  a.appendVarchar(o.scopeName);
  a.appendVarchar(o.scopeVersion);
  a.appendVarchar(o.scopeAttributes);
  a.endRow();
}

export function appendMetricPoint(a: DuckDBAppender, runId: number, m: MetricPointRow): void {
  a.appendInteger(runId);
  a.appendVarchar(m.name);
  a.appendVarchar(m.description);
  a.appendVarchar(m.unit);
  a.appendVarchar(m.type);
  a.appendTinyInt(tiny(m.temporality));
  if (m.isMonotonic === null) a.appendNull();
  else a.appendBoolean(m.isMonotonic);
  a.appendVarchar(m.service);
  a.appendVarchar(m.resource);
  a.appendVarchar(m.scopeName);
  a.appendVarchar(m.scopeVersion);
  a.appendVarchar(m.scopeAttributes);
  a.appendVarchar(m.attributes);
  a.appendBigInt(ns(m.startNs));
  a.appendBigInt(ns(m.timeNs));
  a.appendUInteger(u32(m.flags));
  nullableDouble(a, m.value);
  if (m.valueInt === null) a.appendNull();
  else a.appendBigInt(m.valueInt);
  nullableUBig(a, m.count);
  nullableDouble(a, m.sum);
  nullableDouble(a, m.min);
  nullableDouble(a, m.max);
  nullableVarchar(a, m.bucketCounts);
  nullableVarchar(a, m.explicitBounds);
  if (m.scale === null) a.appendNull();
  else a.appendInteger(m.scale);
  nullableUBig(a, m.zeroCount);
  nullableDouble(a, m.zeroThreshold);
  nullableVarchar(a, m.positive);
  nullableVarchar(a, m.negative);
  nullableVarchar(a, m.quantiles);
  a.appendVarchar(m.exemplars);
  a.endRow();
}

export function appendLog(a: DuckDBAppender, runId: number, l: LogRow): void {
  a.appendInteger(runId);
  a.appendBigInt(ns(l.timeNs));
  a.appendBigInt(ns(l.observedNs));
  a.appendTinyInt(tiny(l.severityNumber));
  a.appendVarchar(l.severityText);
  a.appendVarchar(l.body);
  a.appendVarchar(l.bodyText);
  a.appendVarchar(l.attributes);
  a.appendUInteger(u32(l.droppedAttributes));
  a.appendUInteger(u32(l.flags));
  a.appendVarchar(l.traceId);
  a.appendVarchar(l.spanId);
  a.appendVarchar(l.eventName);
  a.appendVarchar(l.service);
  a.appendVarchar(l.resource);
  a.appendVarchar(l.scopeName);
  a.appendVarchar(l.scopeVersion);
  a.appendVarchar(l.scopeAttributes);
  a.endRow();
}
