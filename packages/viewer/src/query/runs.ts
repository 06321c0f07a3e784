/** `/api/runs` and `/api/runs/compare`: the runs, and per-operation latency and errors of run A vs run B. */
import { ApiError } from '../http/api-error.js';
import { nsToMs, type Params, Where } from './params.js';
import type { QueryContext } from './query-context.js';
import { quantilesMs } from './span-filters.js';

/** Latency histogram bounds (ms) shared by both runs of a comparison. */
export const COMPARE_BOUNDS_MS = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
];

export async function listRuns(_p: Params, ctx: QueryContext): Promise<unknown> {
  const rows = await ctx.store.query(`
    SELECT r.*, coalesce(s.n, 0) AS spans, coalesce(l.n, 0) AS logs, coalesce(m.n, 0) AS points
    FROM runs r
    LEFT JOIN (SELECT run_id, count(*) AS n FROM spans GROUP BY run_id) s ON s.run_id = r.id
    LEFT JOIN (SELECT run_id, count(*) AS n FROM logs GROUP BY run_id) l ON l.run_id = r.id
    LEFT JOIN (SELECT run_id, count(*) AS n FROM metric_points GROUP BY run_id) m ON m.run_id = r.id
    ORDER BY r.id DESC LIMIT 1000`);
  const current = ctx.runId();
  return {
    currentRunId: current,
    runs: rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      source: r.source,
      startedMs: nsToMs(r.started_ns),
      endedMs: r.ended_ns === null ? null : nsToMs(r.ended_ns),
      current: Number(r.id) === current,
      spanCount: Number(r.spans),
      logCount: Number(r.logs),
      metricPointCount: Number(r.points),
    })),
  };
}

async function runInfo(ctx: QueryContext, id: number): Promise<{ id: number; name: string }> {
  const rows = await ctx.store.query('SELECT id, name FROM runs WHERE id = $1', [id]);
  const r = rows[0];
  if (!r) throw new ApiError(404, 'not_found', `no run with id ${id}`);
  return { id, name: String(r.name) };
}

export async function compareRuns(p: Params, ctx: QueryContext): Promise<unknown> {
  const a = p.int('a', 1, 2 ** 31 - 1);
  const b = p.int('b', 1, 2 ** 31 - 1);
  if (a === undefined || b === undefined)
    throw new ApiError(400, 'bad_request', 'parameters "a" and "b" (run ids) are required');
  const limit = p.int('limit', 1, 5000, 500);
  const [infoA, infoB] = await Promise.all([runInfo(ctx, a), runInfo(ctx, b)]);
  const where = new Where();
  where.clauses.push(`run_id IN (${where.param(a)}, ${where.param(b)})`);
  const service = p.string('service');
  if (service !== undefined) where.add('service = ?', service);
  const boundsNs = COMPARE_BOUNDS_MS.map((ms) => Math.round(ms * 1e6));
  const buckets = boundsNs
    .map((ns, i) => {
      const lo = i === 0 ? '' : `duration_ns > ${boundsNs[i - 1]} AND `;
      return `count(*) FILTER (WHERE ${lo}duration_ns <= ${ns}) AS b${i}`;
    })
    .concat(
      `count(*) FILTER (WHERE duration_ns > ${boundsNs[boundsNs.length - 1]}) AS b${boundsNs.length}`,
    )
    .join(', ');
  const [rows, extents] = await Promise.all([
    ctx.store.query(
      `SELECT run_id, service, name, count(*) AS n, count(*) FILTER (WHERE status_code = 2) AS errors,
              quantile_cont(duration_ns, [0.5, 0.95, 0.99]) AS q, ${buckets}
       FROM spans ${where.sql()} GROUP BY run_id, service, name ORDER BY service, name`,
      where.params,
    ),
    ctx.store.query(
      `SELECT run_id, min(start_ns) AS lo, max(end_ns) AS hi FROM spans WHERE run_id IN ($1, $2) GROUP BY run_id`,
      [a, b],
    ),
  ]);
  const seconds = new Map<number, number>();
  for (const e of extents)
    seconds.set(Number(e.run_id), Math.max(1, Number((e.hi as bigint) - (e.lo as bigint)) / 1e9));
  const ops = new Map<string, { service: unknown; operation: unknown; a: unknown; b: unknown }>();
  for (const r of rows) {
    const key = `${r.service}\u0000${r.name}`;
    const op = ops.get(key) ?? { service: r.service, operation: r.name, a: null, b: null };
    ops.set(key, op);
    const n = Number(r.n);
    const side = {
      count: n,
      errorCount: Number(r.errors),
      errorRate: n ? Number(r.errors) / n : 0,
      throughput: n / (seconds.get(Number(r.run_id)) ?? 1),
      ...quantilesMs(r.q),
      histogram: Array.from({ length: boundsNs.length + 1 }, (_, i) => Number(r[`b${i}`])),
    };
    if (Number(r.run_id) === a) op.a = side;
    if (Number(r.run_id) === b) op.b = side;
  }
  const operations = [...ops.values()];
  return {
    a: infoA,
    b: infoB,
    boundsMs: COMPARE_BOUNDS_MS,
    truncated: operations.length > limit,
    operations: operations.slice(0, limit),
  };
}
