/** `/api/traces/{traceId}`: every span of one trace (resources deduplicated) and its log records. */
import { ApiError, badRequest } from '../http/api-error.js';
import { isHexId } from '../receiver/hex.js';
import type { Params } from './params.js';
import type { QueryContext } from './query-context.js';
import { logJson, spanJson } from './row-json.js';

export async function getTrace(traceIdRaw: string, p: Params, ctx: QueryContext): Promise<unknown> {
  if (!isHexId(traceIdRaw, 16))
    throw badRequest(
      `trace id ${JSON.stringify(traceIdRaw.slice(0, 64))} is not 32 hex characters`,
    );
  const traceId = traceIdRaw.toLowerCase();
  const limit = p.int('limit', 1, 50_000, 10_000);
  const logLimit = p.int('logLimit', 1, 5000, 1000);
  const [spanRows, countRows, logRows] = await Promise.all([
    ctx.store.query(
      `SELECT * FROM spans WHERE trace_id = $1 ORDER BY start_ns, span_id LIMIT ${limit}`,
      [traceId],
    ),
    ctx.store.query('SELECT count(*) AS n FROM spans WHERE trace_id = $1', [traceId]),
    ctx.store.query(
      `SELECT * FROM logs WHERE trace_id = $1 ORDER BY time_ns LIMIT ${logLimit + 1}`,
      [traceId],
    ),
  ]);
  const total = Number(countRows[0]?.n ?? 0);
  if (total === 0 && logRows.length === 0)
    throw new ApiError(404, 'not_found', `no trace with id ${traceId} is stored`);
  const resources: { service: unknown; attributes: unknown }[] = [];
  const index = new Map<string, number>();
  const spans = spanRows.map((r) => {
    const key = String(r.resource);
    let i = index.get(key);
    if (i === undefined) {
      i = resources.length;
      index.set(key, i);
      resources.push({ service: r.service, attributes: JSON.parse(key) });
    }
    return spanJson(r, i);
  });
  return {
    traceId,
    spanCount: total,
    truncated: total > spans.length,
    resources,
    spans,
    logs: logRows.slice(0, logLimit).map(logJson),
    logsTruncated: logRows.length > logLimit,
  };
}
