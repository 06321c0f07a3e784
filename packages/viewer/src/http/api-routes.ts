/** The query API's route table: `GET /api/...` paths → handlers returning JSON (docs/viewer-api.md). */

import { searchLogs } from '../query/logs.js';
import { listMetrics, metricPoints, metricSeries } from '../query/metrics.js';
import type { Params } from '../query/params.js';
import type { QueryContext } from '../query/query-context.js';
import { redMetrics, serviceMap } from '../query/red.js';
import { compareRuns, listRuns } from '../query/runs.js';
import { listOperations, listServices } from '../query/services.js';
import { storeStats } from '../query/stats.js';
import { getTrace } from '../query/trace-detail.js';
import { searchTraces } from '../query/trace-search.js';

export type ApiHandler = (p: Params, ctx: QueryContext, match: string[]) => Promise<unknown>;

export const API_ROUTES: [RegExp, ApiHandler][] = [
  [/^\/api\/health$/, async (_p, ctx) => ({ ok: true, version: ctx.version, runId: ctx.runId() })],
  [/^\/api\/services$/, listServices],
  [/^\/api\/operations$/, listOperations],
  [/^\/api\/traces$/, searchTraces],
  [/^\/api\/traces\/([^/]+)$/, (p, ctx, m) => getTrace(m[0] ?? '', p, ctx)],
  [/^\/api\/service-map$/, serviceMap],
  [/^\/api\/red$/, redMetrics],
  [/^\/api\/metrics$/, listMetrics],
  [/^\/api\/metrics\/series$/, metricSeries],
  [/^\/api\/metrics\/points$/, metricPoints],
  [/^\/api\/logs$/, searchLogs],
  [/^\/api\/runs$/, listRuns],
  [/^\/api\/runs\/compare$/, compareRuns],
  [/^\/api\/stats$/, storeStats],
];
