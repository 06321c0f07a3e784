/**
 * The one place that knows the viewer's query API (docs/viewer-api.md): its paths, parameters and
 * response shapes. Pages call these functions and never build API URLs themselves, so a change in
 * the API is a change in this file only.
 */

export type Attributes = Record<string, unknown>;

export interface ServiceSummary {
  name: string;
  spanCount: number;
  errorCount: number;
  operationCount: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface OperationSummary {
  service: string;
  name: string;
  kind: number;
  spanCount: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string | null;
  rootName: string | null;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface SpanEvent {
  timeMs: number;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  service: string;
  scope: { name: string; version: string };
  startMs: number;
  durationMs: number;
  status: { code: number; message: string };
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  traceState: string;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  resourceIndex: number;
  runId: number;
}

export interface LogRecord {
  timeMs: number;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: Attributes;
  traceId: string;
  spanId: string;
  eventName: string;
  service: string;
  resource: Attributes;
  scope: { name: string; version: string };
  runId: number;
}

export interface TraceDetail {
  traceId: string;
  spanCount: number;
  truncated: boolean;
  resources: { service: string; attributes: Attributes }[];
  spans: Span[];
  logs: LogRecord[];
  logsTruncated: boolean;
}

export interface RedRow {
  service: string;
  operation?: string;
  spanCount: number;
  rate: number;
  errorCount: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface ServiceMapNode extends RedRow {}

export interface ServiceMapEdge {
  source: string;
  target: string;
  callCount: number;
  errorCount: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface ServiceMap {
  windowMs: number;
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

export interface MetricSummary {
  name: string;
  type: MetricType;
  unit: string;
  description: string;
  temporality: number | null;
  isMonotonic: boolean | null;
  seriesCount: number;
  pointCount: number;
  services: string[];
}

export interface SeriesPoint {
  tMs: number;
  count: number;
  avg?: number;
  min?: number;
  max?: number;
  last?: number;
  sum?: number;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
  bounds?: number[];
  bucketCounts?: number[];
  quantiles?: { quantile: number; value: number }[];
}

export interface MetricSeries {
  service: string;
  attributes: Attributes;
  resource: Attributes;
  points: SeriesPoint[];
}

export interface MetricSeriesResponse {
  name: string;
  type: MetricType;
  unit: string;
  temporality: number | null;
  bucketMs: number;
  startMs: number;
  endMs: number;
  truncated: boolean;
  series: MetricSeries[];
}

export interface Run {
  id: number;
  name: string;
  source: string;
  startedMs: number;
  endedMs: number | null;
  current: boolean;
  spanCount: number;
  logCount: number;
  metricPointCount: number;
}

export interface RunSide {
  count: number;
  errorCount: number;
  errorRate: number;
  throughput: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  histogram: number[];
}

export interface RunComparison {
  a: { id: number; name: string };
  b: { id: number; name: string };
  boundsMs: number[];
  operations: { service: string; operation: string; a: RunSide | null; b: RunSide | null }[];
}

export interface StoreStats {
  dataDir: string;
  currentRunId: number;
  stored: Record<string, number | null>;
  limits: Record<string, number | null>;
  evicted: Record<string, number | null>;
  ingest: {
    accepted: Record<string, number>;
    rejectedItems: number;
    refusedRequests: number;
    badRequests: number;
    queueItems: number;
  };
}

/** Query parameters: absent, empty and undefined values are left out; arrays repeat the key. */
export type Params = Record<string, string | number | undefined | null | readonly string[]>;

/** An API error with the server's code (`bad_request`, `not_found`, ...) and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Builds `path?query` from params, skipping empty values.
 *
 * @example
 * apiUrl('/api/traces', { service: 'checkout', attr: ['a=1'] }); // '/api/traces?service=checkout&attr=a%3D1'
 */
export function apiUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) query.append(key, v);
    else query.append(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function getJson<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, params), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'unreachable', 'Cannot reach the viewer: is `sightline dev` running?');
  }
  if (res.status === 401)
    throw new ApiError(
      401,
      'unauthorized',
      'This viewer needs its token: open /?token=<token> once in this browser.',
    );
  if (!res.ok) {
    let code = 'http_error';
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, code, message);
  }
  return (await res.json()) as T;
}

/** Time range and run, shared by most queries. */
export interface Scope {
  run?: string | undefined;
  start?: number | undefined;
  end?: number | undefined;
}

export interface TraceQuery extends Scope {
  service?: string | undefined;
  operation?: string | undefined;
  status?: string | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  attr?: readonly string[] | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface LogQuery extends Scope {
  service?: string | undefined;
  severityMin?: number | undefined;
  text?: string | undefined;
  traceId?: string | undefined;
  attr?: readonly string[] | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface SeriesQuery extends Scope {
  name: string;
  service?: string | undefined;
  attr?: readonly string[] | undefined;
  width?: number | undefined;
  limit?: number | undefined;
}

/** Every API call the UI makes. */
export const api = {
  health: (signal?: AbortSignal) =>
    getJson<{ ok: boolean; version: string; runId: number }>('/api/health', {}, signal),
  services: (scope: Scope = {}, signal?: AbortSignal) =>
    getJson<{ services: ServiceSummary[]; truncated: boolean }>(
      '/api/services',
      { ...scope },
      signal,
    ),
  operations: (service: string | undefined, scope: Scope = {}, signal?: AbortSignal) =>
    getJson<{ operations: OperationSummary[]; truncated: boolean }>(
      '/api/operations',
      { ...scope, service },
      signal,
    ),
  traces: (query: TraceQuery, signal?: AbortSignal) =>
    getJson<{ traces: TraceSummary[]; nextCursor: string | null }>(
      '/api/traces',
      { ...query },
      signal,
    ),
  trace: (traceId: string, signal?: AbortSignal) =>
    getJson<TraceDetail>(`/api/traces/${encodeURIComponent(traceId)}`, {}, signal),
  serviceMap: (scope: Scope = {}, signal?: AbortSignal) =>
    getJson<ServiceMap>('/api/service-map', { ...scope }, signal),
  red: (
    groupBy: 'service' | 'operation',
    service: string | undefined,
    scope: Scope = {},
    signal?: AbortSignal,
  ) =>
    getJson<{ windowMs: number; truncated: boolean; rows: RedRow[] }>(
      '/api/red',
      { ...scope, groupBy, service },
      signal,
    ),
  metrics: (service: string | undefined, run?: string, signal?: AbortSignal) =>
    getJson<{ metrics: MetricSummary[]; truncated: boolean }>(
      '/api/metrics',
      { service, run },
      signal,
    ),
  series: (query: SeriesQuery, signal?: AbortSignal) =>
    getJson<MetricSeriesResponse>('/api/metrics/series', { ...query }, signal),
  logs: (query: LogQuery, signal?: AbortSignal) =>
    getJson<{ logs: LogRecord[]; nextCursor: string | null }>('/api/logs', { ...query }, signal),
  runs: (signal?: AbortSignal) =>
    getJson<{ currentRunId: number; runs: Run[] }>('/api/runs', {}, signal),
  compareRuns: (a: string, b: string, service?: string, signal?: AbortSignal) =>
    getJson<RunComparison>('/api/runs/compare', { a, b, service }, signal),
  stats: (signal?: AbortSignal) => getJson<StoreStats>('/api/stats', {}, signal),
  /** URL of a run's export bundle, for a download link. */
  runExportUrl: (id: number) => `/api/runs/${id}/export`,
  /** URL of the server-sent events stream. */
  liveUrl: '/api/live',
};
