/** `/api/services` and `/api/operations`. */

import { nsToMs, type Params, Where } from './params.js';
import type { QueryContext } from './query-context.js';
import { addRunAndTime } from './span-filters.js';

export async function listServices(p: Params, ctx: QueryContext): Promise<unknown> {
  const limit = p.int('limit', 1, 1000, 1000);
  const where = new Where();
  addRunAndTime(where, p);
  const spanRows = await ctx.store.query(
    `SELECT service, count(*) AS spans, count(*) FILTER (WHERE status_code = 2) AS errors,
            count(DISTINCT name) AS ops, min(start_ns) AS first, max(start_ns) AS last
     FROM spans ${where.sql()} GROUP BY service ORDER BY service LIMIT ${limit + 1}`,
    where.params,
  );
  const others = [];
  for (const [table, column] of [
    ['logs', 'time_ns'],
    ['metric_points', 'time_ns'],
  ] as const) {
    const w = new Where();
    addRunAndTime(w, p, column);
    others.push(
      ...(await ctx.store.query(
        `SELECT DISTINCT service FROM ${table} ${w.sql()} ORDER BY service LIMIT ${limit + 1}`,
        w.params,
      )),
    );
  }
  const services = new Map<string, unknown>();
  for (const r of spanRows)
    services.set(String(r.service), {
      name: r.service,
      spanCount: Number(r.spans),
      errorCount: Number(r.errors),
      operationCount: Number(r.ops),
      firstSeenMs: nsToMs(r.first),
      lastSeenMs: nsToMs(r.last),
    });
  for (const r of others)
    if (!services.has(String(r.service)))
      services.set(String(r.service), {
        name: r.service,
        spanCount: 0,
        errorCount: 0,
        operationCount: 0,
        firstSeenMs: null,
        lastSeenMs: null,
      });
  const list = [...services.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v);
  return { services: list.slice(0, limit), truncated: list.length > limit };
}

export async function listOperations(p: Params, ctx: QueryContext): Promise<unknown> {
  const limit = p.int('limit', 1, 5000, 1000);
  const where = new Where();
  addRunAndTime(where, p);
  const service = p.string('service');
  if (service !== undefined) where.add('service = ?', service);
  const rows = await ctx.store.query(
    `SELECT service, name, mode(kind) AS kind, count(*) AS spans FROM spans ${where.sql()}
     GROUP BY service, name ORDER BY service, name LIMIT ${limit + 1}`,
    where.params,
  );
  return {
    operations: rows.slice(0, limit).map((r) => ({
      service: r.service,
      name: r.name,
      kind: Number(r.kind),
      spanCount: Number(r.spans),
    })),
    truncated: rows.length > limit,
  };
}
