/** `/api/stats`: what is stored, the limits, what was evicted, and the ingest counters. */
import { nsToMs, type Params } from './params.js';
import type { QueryContext } from './query-context.js';

export async function storeStats(_p: Params, ctx: QueryContext): Promise<unknown> {
  const [counts, size, evicted] = await Promise.all([
    ctx.store.query(`
      SELECT (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM logs) AS logs,
             (SELECT count(*) FROM metric_points) AS points, (SELECT count(*) FROM runs) AS runs,
             least((SELECT min(start_ns) FROM spans), (SELECT min(time_ns) FROM logs),
                   (SELECT min(time_ns) FROM metric_points)) AS oldest,
             greatest((SELECT max(start_ns) FROM spans), (SELECT max(time_ns) FROM logs),
                      (SELECT max(time_ns) FROM metric_points)) AS newest`),
    ctx.store.size(),
    ctx.retention.evicted(ctx.store),
  ]);
  const c = counts[0] ?? {};
  return {
    dataDir: ctx.store.dataDir,
    currentRunId: ctx.runId(),
    stored: {
      spans: Number(c.spans ?? 0),
      logs: Number(c.logs ?? 0),
      metricPoints: Number(c.points ?? 0),
      runs: Number(c.runs ?? 0),
      oldestMs: c.oldest === null || c.oldest === undefined ? null : nsToMs(c.oldest),
      newestMs: c.newest === null || c.newest === undefined ? null : nsToMs(c.newest),
      diskBytes: size.usedBytes,
      fileBytes: size.fileBytes,
      walBytes: size.walBytes,
    },
    limits: ctx.limits,
    evicted,
    ingest: {
      accepted: { ...ctx.stats.accepted },
      rejectedItems: ctx.stats.rejectedItems,
      refusedRequests: ctx.stats.refusedRequests,
      badRequests: ctx.stats.badRequests,
      queueItems: ctx.queue.queuedItems,
    },
  };
}
