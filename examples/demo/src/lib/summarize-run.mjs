// The demo's summary, read back from the viewer's query API (docs/viewer-api.md) for one run.

const ENDPOINT = /^[A-Z]+ \/api\//;
const MAX_TRACE_PAGES = 40;

/**
 * @typedef {{ endpoint: string, count: number, errorRate: number, p50Ms: number, p99Ms: number }} EndpointLatency
 * @typedef {{ service: string, slopeBytesPerSecond: number, growthBytes: number, r2: number, points: number, suspected: boolean }} HeapTrend
 * @typedef {{
 *   runId: number,
 *   traces: number, tracesCounted: 'all' | 'first pages', errorTraces: number,
 *   services: string[], spans: number, logs: number, metricPoints: number,
 *   endpoints: EndpointLatency[],
 *   heap: HeapTrend[],
 * }} DemoSummary
 */

/**
 * @param {{ viewerUrl: string, runId: number, token?: string }} options
 * @returns {Promise<DemoSummary>}
 */
export async function summarizeRun({ viewerUrl, runId, token }) {
  const get = async (path) => {
    const response = await fetch(`${viewerUrl}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!response.ok) throw new Error(`viewer ${path}: HTTP ${response.status}`);
    return response.json();
  };

  let traces = 0;
  let errorTraces = 0;
  const services = new Set();
  let cursor = null;
  let pages = 0;
  do {
    const page = await get(
      `/api/traces?run=${runId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const t of page.traces) {
      traces++;
      if (t.errorCount > 0) errorTraces++;
      for (const s of t.services ?? []) services.add(s);
    }
    cursor = page.nextCursor ?? null;
    pages++;
  } while (cursor && pages < MAX_TRACE_PAGES);

  const runs = await get('/api/runs');
  const run = runs.runs.find((r) => r.id === runId) ?? {};
  const red = await get(`/api/red?groupBy=operation&service=gateway&run=${runId}&limit=500`);
  const endpoints = red.rows
    .filter((row) => ENDPOINT.test(row.operation))
    .map((row) => ({
      endpoint: row.operation,
      count: row.spanCount,
      errorRate: row.errorRate,
      p50Ms: row.p50Ms,
      p99Ms: row.p99Ms,
    }))
    .sort((a, b) => a.endpoint.localeCompare(b.endpoint));

  const series = await get(
    `/api/metrics/series?name=sightline.demo.heap.live&run=${runId}&width=100&limit=50`,
  ).catch(() => ({ series: [] }));
  const heap = judgeLeaks(series.series.map((s) => heapTrend(s.service, s.points)));

  return {
    runId,
    traces,
    tracesCounted: cursor ? 'first pages' : 'all',
    errorTraces,
    services: [...services].sort(),
    spans: run.spanCount ?? 0,
    logs: run.logCount ?? 0,
    metricPoints: run.metricPointCount ?? 0,
    endpoints,
    heap,
  };
}

/**
 * A least-squares line through a service's heap gauge; see the LEAK_* thresholds below.
 * @param {string} service
 * @param {{ tMs: number, avg?: number, last?: number }[]} points
 * @returns {HeapTrend}
 */
export function heapTrend(service, points) {
  const xy = points
    .map((p) => [p.tMs / 1000, p.last ?? p.avg ?? Number.NaN])
    .filter(([, y]) => Number.isFinite(y));
  const n = xy.length;
  if (n < 3)
    return { service, slopeBytesPerSecond: 0, growthBytes: 0, r2: 0, points: n, suspected: false };
  const mx = xy.reduce((s, [x]) => s + x, 0) / n;
  const my = xy.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of xy) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  const first = xy[0];
  const last = xy[n - 1];
  const growth = first && last ? last[1] - first[1] : 0;
  return {
    service,
    slopeBytesPerSecond: slope,
    growthBytes: growth,
    r2,
    points: n,
    suspected: r2 >= LEAK_MIN_R2 && slope >= LEAK_MIN_SLOPE && growth >= LEAK_MIN_GROWTH,
  };
}

/**
 * A leak: the heap grows by ≥ 32 MiB over the run at ≥ 512 KiB/s, and either very steadily
 * (r² ≥ 0.8) or ≥ 3x as much as the median of the other services (which share the same warm-up
 * growth: JIT code, connection pools, the SDK's buffers).
 */
export const LEAK_MIN_R2 = 0.8;
export const LEAK_MIN_SLOPE = 512 * 1024;
export const LEAK_MIN_GROWTH = 32 * 1024 * 1024;
export const LEAK_RELATIVE_GROWTH = 3;

/**
 * Marks the services whose heap trend looks like a leak, comparing each with the others.
 * @param {HeapTrend[]} trends
 * @returns {HeapTrend[]}
 */
export function judgeLeaks(trends) {
  return trends.map((trend) => {
    const others = trends
      .filter((t) => t !== trend)
      .map((t) => Math.max(0, t.growthBytes))
      .sort((a, b) => a - b);
    const median = others.length > 0 ? (others[Math.floor(others.length / 2)] ?? 0) : 0;
    const big = trend.growthBytes >= LEAK_MIN_GROWTH && trend.slopeBytesPerSecond >= LEAK_MIN_SLOPE;
    const steady = trend.r2 >= LEAK_MIN_R2;
    const outlier = others.length > 0 && trend.growthBytes >= LEAK_RELATIVE_GROWTH * median;
    return { ...trend, suspected: big && (steady || outlier) };
  });
}
