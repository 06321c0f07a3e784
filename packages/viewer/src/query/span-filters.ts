/** The filters shared by the span queries: run, time range (on span start), service. */
import type { Params, Where } from './params.js';

export function addRunAndTime(where: Where, p: Params, timeColumn = 'start_ns'): void {
  const run = p.int('run', 1, 2 ** 31 - 1);
  if (run !== undefined) where.add('run_id = ?', run);
  const start = p.timeNs('start');
  const end = p.timeNs('end');
  if (start !== undefined) where.add(`${timeColumn} >= ?`, start);
  if (end !== undefined) where.add(`${timeColumn} < ?`, end);
}

/** The window used for rates: the requested range, else the data's extent; at least one second. */
export function windowMs(p: Params, minNs: unknown, maxNs: unknown): number {
  const start = p.number('start');
  const end = p.number('end');
  if (start !== undefined && end !== undefined && end > start) return end - start;
  const lo = typeof minNs === 'bigint' ? minNs : 0n;
  const hi = typeof maxNs === 'bigint' ? maxNs : 0n;
  return Math.max(1000, Number((hi - lo) / 1_000_000n));
}

/** [p50, p95, p99] in ms from a DuckDB quantile list of nanoseconds. */
export function quantilesMs(list: unknown): { p50Ms: number; p95Ms: number; p99Ms: number } {
  const q = Array.isArray(list) ? list.map((v) => Number(v ?? 0) / 1e6) : [];
  return { p50Ms: q[0] ?? 0, p95Ms: q[1] ?? 0, p99Ms: q[2] ?? 0 };
}
