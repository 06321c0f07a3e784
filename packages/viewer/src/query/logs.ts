/** `/api/logs`: log records by service, severity, body text, trace/span id and attributes, newest first. */
import { badRequest } from '../http/api-error.js';
import { addAttributeFilters, encodeCursor, type Params, Where } from './params.js';
import type { QueryContext } from './query-context.js';
import { logJson } from './row-json.js';
import { addRunAndTime } from './span-filters.js';

export async function searchLogs(p: Params, ctx: QueryContext): Promise<unknown> {
  const limit = p.int('limit', 1, 1000, 100);
  const where = new Where();
  addRunAndTime(where, p, 'time_ns');
  const service = p.string('service');
  if (service !== undefined) where.add('service = ?', service);
  const severityMin = p.int('severityMin', 0, 24);
  if (severityMin !== undefined) where.add('severity_number >= ?', severityMin);
  const text = p.string('text', 500);
  if (text !== undefined) where.add('contains(lower(body_text), lower(?))', text);
  const traceId = p.hexId('traceId', 16);
  if (traceId !== undefined) where.add('trace_id = ?', traceId);
  const spanId = p.hexId('spanId', 8);
  if (spanId !== undefined) where.add('span_id = ?', spanId);
  addAttributeFilters(where, p.attributes());
  const cursor = p.cursor<[string, string]>();
  if (cursor !== undefined) {
    if (
      !Array.isArray(cursor) ||
      !/^-?\d+$/.test(String(cursor[0])) ||
      !/^\d+$/.test(String(cursor[1]))
    )
      throw badRequest('parameter "cursor" is not a cursor this API returned');
    const t = where.param(BigInt(cursor[0]));
    const id = where.param(BigInt(cursor[1]));
    where.clauses.push(`(time_ns < ${t} OR (time_ns = ${t} AND rowid < ${id}))`);
  }
  const rows = await ctx.store.query(
    `SELECT rowid AS rid, * FROM logs ${where.sql()} ORDER BY time_ns DESC, rowid DESC LIMIT ${limit + 1}`,
    where.params,
  );
  const last = rows[limit - 1];
  return {
    logs: rows.slice(0, limit).map(logJson),
    nextCursor:
      rows.length > limit && last ? encodeCursor([String(last.time_ns), String(last.rid)]) : null,
  };
}
