/** `/api/red` and `/api/service-map`: rate, errors and duration percentiles derived from spans. */

import { type Params, Where } from './params.js';
import type { QueryContext } from './query-context.js';
import { addRunAndTime, quantilesMs, windowMs } from './span-filters.js';

const Q = 'quantile_cont(duration_ns, [0.5, 0.95, 0.99])';

export async function redMetrics(p: Params, ctx: QueryContext): Promise<unknown> {
  const groupBy = p.oneOf('groupBy', ['service', 'operation'] as const, 'operation');
  const limit = p.int('limit', 1, 5000, 500);
  const where = new Where();
  addRunAndTime(where, p);
  const service = p.string('service');
  if (service !== undefined) where.add('service = ?', service);
  const keys = groupBy === 'service' ? 'service' : 'service, name';
  const [rows, extent] = await Promise.all([
    ctx.store.query(
      `SELECT ${keys}, count(*) AS n, count(*) FILTER (WHERE status_code = 2) AS errors, ${Q} AS q
       FROM spans ${where.sql()} GROUP BY ${keys} ORDER BY ${keys} LIMIT ${limit + 1}`,
      where.params,
    ),
    ctx.store.query(
      `SELECT min(start_ns) AS lo, max(start_ns) AS hi FROM spans ${where.sql()}`,
      where.params,
    ),
  ]);
  const win = windowMs(p, extent[0]?.lo, extent[0]?.hi);
  return {
    windowMs: win,
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => ({
      service: r.service,
      ...(groupBy === 'operation' ? { operation: r.name } : {}),
      spanCount: Number(r.n),
      rate: Number(r.n) / (win / 1000),
      errorCount: Number(r.errors),
      errorRate: Number(r.n) ? Number(r.errors) / Number(r.n) : 0,
      ...quantilesMs(r.q),
    })),
  };
}

export async function serviceMap(p: Params, ctx: QueryContext): Promise<unknown> {
  const where = new Where();
  addRunAndTime(where, p);
  const childWhere = new Where();
  addRunAndTime(childWhere, p);
  const childSql = childWhere.sql().replace(/\b(run_id|start_ns)\b/g, 'c.$1');
  const entry = `(kind IN (2, 5) OR parent_span_id = '')`;
  const [nodes, edges, extent] = await Promise.all([
    ctx.store.query(
      `SELECT service, count(*) AS n, count(*) FILTER (WHERE status_code = 2) AS errors, ${Q} AS q,
              count(*) FILTER (WHERE ${entry}) AS en,
              count(*) FILTER (WHERE ${entry} AND status_code = 2) AS eerrors,
              quantile_cont(duration_ns, [0.5, 0.95, 0.99]) FILTER (WHERE ${entry}) AS eq
       FROM spans ${where.sql()} GROUP BY service ORDER BY service LIMIT 1000`,
      where.params,
    ),
    ctx.store.query(
      `SELECT p.service AS source, c.service AS target, count(*) AS n,
              count(*) FILTER (WHERE c.status_code = 2) AS errors,
              quantile_cont(c.duration_ns, [0.5, 0.95, 0.99]) AS q
       FROM spans c JOIN spans p
         ON c.trace_id = p.trace_id AND c.parent_span_id = p.span_id AND c.run_id = p.run_id
       ${childSql ? `${childSql} AND` : 'WHERE'} c.parent_span_id <> '' AND c.service <> p.service
       GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 5000`,
      childWhere.params,
    ),
    ctx.store.query(
      `SELECT min(start_ns) AS lo, max(start_ns) AS hi FROM spans ${where.sql()}`,
      where.params,
    ),
  ]);
  const win = windowMs(p, extent[0]?.lo, extent[0]?.hi);
  return {
    windowMs: win,
    nodes: nodes.map((r) => {
      const useEntry = Number(r.en) > 0;
      const n = Number(useEntry ? r.en : r.n);
      const errors = Number(useEntry ? r.eerrors : r.errors);
      return {
        service: r.service,
        spanCount: n,
        rate: n / (win / 1000),
        errorCount: errors,
        errorRate: n ? errors / n : 0,
        ...quantilesMs(useEntry ? r.eq : r.q),
      };
    }),
    edges: edges.map((r) => ({
      source: r.source,
      target: r.target,
      callCount: Number(r.n),
      errorCount: Number(r.errors),
      ...quantilesMs(r.q),
    })),
  };
}
