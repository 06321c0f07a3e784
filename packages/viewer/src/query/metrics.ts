/**
 * `/api/metrics` (names), `/api/metrics/series` (series downsampled into `width` time buckets) and
 * `/api/metrics/points` (raw points with every OTLP field).
 */
import { badRequest } from '../http/api-error.js';
import type { Row } from '../store/connection-pool.js';
import {
  addCounts,
  type ExpBuckets,
  explicitPercentile,
  exponentialPercentile,
} from './histogram-math.js';
import { addAttributeFilters, encodeCursor, nsToMs, type Params, Where } from './params.js';
import type { QueryContext } from './query-context.js';
import { metricPointJson } from './row-json.js';

const SERIES_KEY = 'service || chr(0) || resource::VARCHAR || chr(0) || attributes::VARCHAR';

function baseWhere(p: Params, withName: boolean): Where {
  const where = new Where();
  const run = p.int('run', 1, 2 ** 31 - 1);
  if (run !== undefined) where.add('run_id = ?', run);
  if (withName) where.add('name = ?', p.required('name'));
  const service = p.string('service');
  if (service !== undefined) where.add('service = ?', service);
  return where;
}

export async function listMetrics(p: Params, ctx: QueryContext): Promise<unknown> {
  const limit = p.int('limit', 1, 5000, 1000);
  const where = baseWhere(p, false);
  const rows = await ctx.store.query(
    `SELECT name, any_value(type) AS type, any_value(unit) AS unit, any_value(description) AS description,
            max(temporality) AS temporality, bool_or(is_monotonic) AS mono, count(DISTINCT ${SERIES_KEY}) AS series,
            count(*) AS points, list(DISTINCT service ORDER BY service) AS services
     FROM metric_points ${where.sql()} GROUP BY name ORDER BY name LIMIT ${limit + 1}`,
    where.params,
  );
  return {
    metrics: rows.slice(0, limit).map((r) => ({
      name: r.name,
      type: r.type,
      unit: r.unit,
      description: r.description,
      temporality: Number(r.temporality) || null,
      isMonotonic: r.type === 'sum' ? (r.mono ?? false) : null,
      seriesCount: Number(r.series),
      pointCount: Number(r.points),
      services: r.services,
    })),
    truncated: rows.length > limit,
  };
}

function parse<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  try {
    return JSON.parse(String(v)) as T;
  } catch {
    return fallback;
  }
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

export async function metricSeries(p: Params, ctx: QueryContext): Promise<unknown> {
  const name = p.required('name');
  const width = p.int('width', 1, 2000, 200);
  const limit = p.int('limit', 1, 500, 50);
  const where = baseWhere(p, true);
  addAttributeFilters(where, p.attributes());
  const head = await ctx.store.query(
    `SELECT any_value(type) AS type, any_value(unit) AS unit, max(temporality) AS temporality,
            min(time_ns) AS lo, max(time_ns) AS hi FROM metric_points ${where.sql()}`,
    where.params,
  );
  const h = head[0];
  if (!h || h.type === null || h.type === undefined)
    return {
      name,
      type: null,
      unit: '',
      temporality: null,
      bucketMs: 0,
      startMs: null,
      endMs: null,
      truncated: false,
      series: [],
    };
  const startNs = p.timeNs('start') ?? (h.lo as bigint);
  const endNs = p.timeNs('end') ?? (h.hi as bigint) + 1n;
  if (endNs <= startNs) throw badRequest('parameter "end" must be after "start"');
  const bucketNs = (endNs - startNs + BigInt(width) - 1n) / BigInt(width) || 1n;
  const type = String(h.type);
  const temporality = Number(h.temporality) || null;
  where.add('time_ns >= ?', startNs);
  where.add('time_ns < ?', endNs);
  const seriesRows = await ctx.store.query(
    `SELECT ${SERIES_KEY} AS k, any_value(service) AS service, any_value(resource) AS resource,
            any_value(attributes) AS attributes
     FROM metric_points ${where.sql()} GROUP BY k ORDER BY k LIMIT ${limit + 1}`,
    where.params,
  );
  const chosen = seriesRows.slice(0, limit);
  if (chosen.length === 0)
    return {
      name,
      type,
      unit: h.unit,
      temporality,
      bucketMs: Number(bucketNs) / 1e6,
      startMs: nsToMs(startNs),
      endMs: nsToMs(endNs),
      truncated: false,
      series: [],
    };
  where.clauses.push(`${SERIES_KEY} IN (${chosen.map((s) => where.param(String(s.k))).join(',')})`);
  const s = where.param(startNs);
  const b = where.param(bucketNs);
  const cols =
    type === 'sum' || type === 'gauge'
      ? 'avg(value) AS avg, min(value) AS mn, max(value) AS mx, arg_max(value, time_ns) AS last'
      : type === 'summary'
        ? 'arg_max(count, time_ns) AS lcount, arg_max(sum, time_ns) AS lsum, arg_max(quantiles, time_ns) AS lq'
        : type === 'histogram'
          ? `arg_max(count, time_ns) AS lcount, arg_max(sum, time_ns) AS lsum, arg_max(min, time_ns) AS lmin,
             arg_max(max, time_ns) AS lmax, arg_max(bucket_counts, time_ns) AS lbuckets,
             arg_max(explicit_bounds, time_ns) AS lbounds, sum(count) AS scount, sum(sum) AS ssum,
             min(min) AS smin, max(max) AS smax, list(bucket_counts::VARCHAR) AS allbuckets`
          : `arg_max(count, time_ns) AS lcount, arg_max(sum, time_ns) AS lsum, arg_max(min, time_ns) AS lmin,
             arg_max(max, time_ns) AS lmax, arg_max(scale, time_ns) AS lscale,
             arg_max(zero_count, time_ns) AS lzero, arg_max(positive, time_ns) AS lpos,
             arg_max(negative, time_ns) AS lneg, sum(count) AS scount, sum(sum) AS ssum, min(min) AS smin,
             max(max) AS smax, list(DISTINCT scale) AS scales, sum(zero_count) AS szero,
             list(positive::VARCHAR) AS allpos, list(negative::VARCHAR) AS allneg`;
  const rows = await ctx.store.query(
    `SELECT ${SERIES_KEY} AS k, (time_ns - ${s}) // ${b} AS bucket, count(*) AS n, ${cols}
     FROM metric_points ${where.sql()} GROUP BY k, bucket ORDER BY k, bucket`,
    where.params,
  );
  const points = new Map<string, unknown[]>();
  for (const r of rows) {
    const list = points.get(String(r.k)) ?? [];
    points.set(String(r.k), list);
    const tMs = nsToMs(startNs + BigInt(r.bucket as bigint) * bucketNs);
    list.push({ tMs, count: Number(r.n), ...bucketValues(type, temporality, r) });
  }
  return {
    name,
    type,
    unit: h.unit,
    temporality,
    bucketMs: Number(bucketNs) / 1e6,
    startMs: nsToMs(startNs),
    endMs: nsToMs(endNs),
    truncated: seriesRows.length > limit,
    series: chosen.map((sr) => ({
      service: sr.service,
      attributes: parse(sr.attributes, {}),
      resource: parse(sr.resource, {}),
      points: points.get(String(sr.k)) ?? [],
    })),
  };
}

function percentiles(f: (q: number) => number | null): Record<string, number | null> {
  return { p50: f(0.5), p95: f(0.95), p99: f(0.99) };
}

function bucketValues(type: string, temporality: number | null, r: Row): Record<string, unknown> {
  if (type === 'sum' || type === 'gauge')
    return { avg: num(r.avg), min: num(r.mn), max: num(r.mx), last: num(r.last) };
  if (type === 'summary')
    return { count: num(r.lcount), sum: num(r.lsum), quantiles: parse(r.lq, []) };
  const delta = temporality === 1;
  const count = num(delta ? r.scount : r.lcount);
  const sum = num(delta ? r.ssum : r.lsum);
  const min = num(delta ? r.smin : r.lmin);
  const max = num(delta ? r.smax : r.lmax);
  if (type === 'histogram') {
    const bounds = parse<number[]>(r.lbounds, []);
    const counts = delta
      ? (r.allbuckets as string[]).reduce<number[]>((acc, t) => addCounts(acc, parse(t, [])), [])
      : parse<number[]>(r.lbuckets, []);
    return {
      count: delta ? counts.reduce((a, c) => a + c, 0) : count,
      sum,
      min,
      max,
      bounds,
      bucketCounts: counts,
      ...percentiles((q) => explicitPercentile(bounds, counts, q, min, max)),
    };
  }
  // exponential histogram: delta points merge when they share a scale; otherwise the last point is used
  const empty: ExpBuckets = { offset: 0, bucketCounts: [] };
  let scale = Number(r.lscale ?? 0);
  let zero = Number(r.lzero ?? 0);
  let pos = parse<ExpBuckets>(r.lpos, empty);
  let neg = parse<ExpBuckets>(r.lneg, empty);
  if (delta && Array.isArray(r.scales) && r.scales.length === 1) {
    scale = Number(r.scales[0]);
    zero = Number(r.szero ?? 0);
    pos = mergeExp((r.allpos as string[]).map((t) => parse(t, empty)));
    neg = mergeExp((r.allneg as string[]).map((t) => parse(t, empty)));
  }
  return {
    count,
    sum,
    min,
    max,
    ...percentiles((q) => exponentialPercentile(scale, zero, pos, neg, q)),
  };
}

function mergeExp(list: ExpBuckets[]): ExpBuckets {
  if (list.length === 0) return { offset: 0, bucketCounts: [] };
  const offset = Math.min(...list.map((b) => b.offset));
  let counts: number[] = [];
  for (const b of list) {
    const shifted = new Array<number>(b.offset - offset).fill(0).concat(b.bucketCounts);
    counts = addCounts(counts, shifted);
  }
  return { offset, bucketCounts: counts };
}

export async function metricPoints(p: Params, ctx: QueryContext): Promise<unknown> {
  const limit = p.int('limit', 1, 10_000, 1000);
  const where = baseWhere(p, true);
  addAttributeFilters(where, p.attributes());
  const cursor = p.cursor<number>();
  if (cursor !== undefined && (!Number.isInteger(cursor) || cursor < 0))
    throw badRequest('parameter "cursor" is not a cursor this API returned');
  const offset = cursor ?? 0;
  const rows = await ctx.store.query(
    `SELECT * FROM metric_points ${where.sql()} ORDER BY time_ns, rowid LIMIT ${limit + 1} OFFSET ${offset}`,
    where.params,
  );
  return {
    points: rows.slice(0, limit).map(metricPointJson),
    nextCursor: rows.length > limit ? encodeCursor(offset + limit) : null,
  };
}
