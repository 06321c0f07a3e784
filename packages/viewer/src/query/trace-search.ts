/**
 * `/api/traces`: traces with a span that satisfies all span filters, newest first, keyset-paginated on
 * (first matching span start, trace id). A second query summarises the page's traces.
 */
import { badRequest } from '../http/api-error.js';
import { addAttributeFilters, encodeCursor, nsToMs, type Params, Where } from './params.js';
import type { QueryContext } from './query-context.js';
import { addRunAndTime } from './span-filters.js';

const STATUS = { unset: 0, ok: 1, error: 2 } as const;

export async function searchTraces(p: Params, ctx: QueryContext): Promise<unknown> {
  const limit = p.int('limit', 1, 500, 50);
  const where = new Where();
  addRunAndTime(where, p);
  const service = p.string('service');
  if (service !== undefined) where.add('service = ?', service);
  const operation = p.string('operation');
  if (operation !== undefined) where.add('name = ?', operation);
  const status = p.oneOf('status', ['unset', 'ok', 'error'] as const);
  if (status !== undefined) where.add('status_code = ?', STATUS[status]);
  const minD = p.durationNs('minDurationMs');
  const maxD = p.durationNs('maxDurationMs');
  if (minD !== undefined) where.add('duration_ns >= ?', minD);
  if (maxD !== undefined) where.add('duration_ns <= ?', maxD);
  addAttributeFilters(where, p.attributes());
  const cursor = p.cursor<[string, string]>();
  let having = '';
  if (cursor !== undefined) {
    if (
      !Array.isArray(cursor) ||
      !/^-?\d+$/.test(String(cursor[0])) ||
      typeof cursor[1] !== 'string'
    )
      throw badRequest('parameter "cursor" is not a cursor this API returned');
    const t = where.param(BigInt(cursor[0]));
    const id = where.param(cursor[1]);
    having = `HAVING min(start_ns) < ${t} OR (min(start_ns) = ${t} AND trace_id < ${id})`;
  }
  const page = await ctx.store.query(
    `SELECT trace_id, min(start_ns) AS first FROM spans ${where.sql()}
     GROUP BY trace_id ${having} ORDER BY first DESC, trace_id DESC LIMIT ${limit + 1}`,
    where.params,
  );
  const ids = page.slice(0, limit).map((r) => String(r.trace_id));
  const last = page[limit - 1];
  const nextCursor =
    page.length > limit && last ? encodeCursor([String(last.first), String(last.trace_id)]) : null;
  if (ids.length === 0) return { traces: [], nextCursor: null };
  const summaryWhere = new Where();
  summaryWhere.clauses.push(`trace_id IN (${ids.map((id) => summaryWhere.param(id)).join(',')})`);
  const run = p.int('run', 1, 2 ** 31 - 1);
  if (run !== undefined) summaryWhere.add('run_id = ?', run);
  const rows = await ctx.store.query(
    `SELECT trace_id, min(start_ns) AS start_ns, max(end_ns) AS end_ns, count(*) AS spans,
            count(*) FILTER (WHERE status_code = 2) AS errors, list(DISTINCT service ORDER BY service) AS services,
            arg_min(name, start_ns) FILTER (WHERE parent_span_id = '') AS root_name,
            arg_min(service, start_ns) FILTER (WHERE parent_span_id = '') AS root_service,
            min(start_ns) FILTER (WHERE parent_span_id = '') AS root_start,
            max(end_ns) FILTER (WHERE parent_span_id = '') AS root_end
     FROM spans ${summaryWhere.sql()} GROUP BY trace_id`,
    summaryWhere.params,
  );
  const byId = new Map(rows.map((r) => [String(r.trace_id), r]));
  const traces = ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const hasRoot = r.root_start !== null && r.root_start !== undefined;
    const start = (hasRoot ? r.root_start : r.start_ns) as bigint;
    const end = (hasRoot ? r.root_end : r.end_ns) as bigint;
    return [
      {
        traceId: id,
        rootService: r.root_service ?? null,
        rootName: r.root_name ?? null,
        startTimeUnixNano: String(start),
        startMs: nsToMs(start),
        durationMs: Number(end - start) / 1e6,
        spanCount: Number(r.spans),
        errorCount: Number(r.errors),
        services: r.services,
      },
    ];
  });
  return { traces, nextCursor };
}
