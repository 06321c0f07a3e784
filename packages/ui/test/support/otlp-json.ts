/**
 * Builders for OTLP/JSON export requests (the JSON mapping of the OTLP protos): what any SDK's
 * http/json exporter posts to /v1/traces, /v1/metrics and /v1/logs.
 */

export type AttrValue = string | number | boolean;

export function attributes(attrs: Record<string, AttrValue>) {
  return Object.entries(attrs).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string'
        ? { stringValue: value }
        : typeof value === 'boolean'
          ? { boolValue: value }
          : Number.isInteger(value)
            ? { intValue: String(value) }
            : { doubleValue: value },
  }));
}

export const msToNs = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

export interface SpanSpec {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startMs: number;
  durationMs: number;
  error?: string;
  attributes?: Record<string, AttrValue>;
  events?: { name: string; atMs: number; attributes?: Record<string, AttrValue> }[];
  links?: { traceId: string; spanId: string; attributes?: Record<string, AttrValue> }[];
}

/** One ExportTraceServiceRequest, spans grouped by service (one resource each). */
export function tracesRequest(
  spans: readonly SpanSpec[],
  resource: Record<string, AttrValue> = {},
) {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  return {
    resourceSpans: [...byService.entries()].map(([service, list]) => ({
      resource: { attributes: attributes({ 'service.name': service, ...resource }) },
      scopeSpans: [
        {
          scope: { name: 'ui-e2e', version: '1.0.0' },
          spans: list.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId ?? '',
            name: s.name,
            kind: s.kind ?? 1,
            startTimeUnixNano: msToNs(s.startMs),
            endTimeUnixNano: msToNs(s.startMs + s.durationMs),
            attributes: attributes(s.attributes ?? {}),
            events: (s.events ?? []).map((e) => ({
              name: e.name,
              timeUnixNano: msToNs(e.atMs),
              attributes: attributes(e.attributes ?? {}),
            })),
            links: (s.links ?? []).map((l) => ({
              traceId: l.traceId,
              spanId: l.spanId,
              attributes: attributes(l.attributes ?? {}),
            })),
            status: s.error ? { code: 2, message: s.error } : { code: 0 },
          })),
        },
      ],
    })),
  };
}

export interface LogSpec {
  service: string;
  timeMs: number;
  severityNumber: number;
  severityText: string;
  body: string;
  traceId?: string;
  spanId?: string;
  attributes?: Record<string, AttrValue>;
}

export function logsRequest(logs: readonly LogSpec[]) {
  const byService = new Map<string, LogSpec[]>();
  for (const l of logs) byService.set(l.service, [...(byService.get(l.service) ?? []), l]);
  return {
    resourceLogs: [...byService.entries()].map(([service, list]) => ({
      resource: { attributes: attributes({ 'service.name': service }) },
      scopeLogs: [
        {
          scope: { name: 'ui-e2e' },
          logRecords: list.map((l) => ({
            timeUnixNano: msToNs(l.timeMs),
            observedTimeUnixNano: msToNs(l.timeMs),
            severityNumber: l.severityNumber,
            severityText: l.severityText,
            body: { stringValue: l.body },
            attributes: attributes(l.attributes ?? {}),
            ...(l.traceId ? { traceId: l.traceId } : {}),
            ...(l.spanId ? { spanId: l.spanId } : {}),
          })),
        },
      ],
    })),
  };
}

export type MetricSpec =
  | {
      kind: 'gauge';
      name: string;
      unit: string;
      points: { tMs: number; value: number; attributes?: Record<string, AttrValue> }[];
    }
  | {
      kind: 'sum';
      name: string;
      unit: string;
      startMs: number;
      points: { tMs: number; value: number; attributes?: Record<string, AttrValue> }[];
    }
  | {
      kind: 'histogram';
      name: string;
      unit: string;
      startMs: number;
      bounds: number[];
      points: {
        tMs: number;
        counts: number[];
        sum: number;
        attributes?: Record<string, AttrValue>;
      }[];
    };

export function metricsRequest(
  service: string,
  metrics: readonly MetricSpec[],
  resource: Record<string, AttrValue> = {},
) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: attributes({ 'service.name': service, ...resource }) },
        scopeMetrics: [
          {
            scope: { name: 'ui-e2e' },
            metrics: metrics.map((m) => {
              if (m.kind === 'gauge')
                return {
                  name: m.name,
                  unit: m.unit,
                  gauge: {
                    dataPoints: m.points.map((p) => ({
                      timeUnixNano: msToNs(p.tMs),
                      asDouble: p.value,
                      attributes: attributes(p.attributes ?? {}),
                    })),
                  },
                };
              if (m.kind === 'sum')
                return {
                  name: m.name,
                  unit: m.unit,
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: m.points.map((p) => ({
                      startTimeUnixNano: msToNs(m.startMs),
                      timeUnixNano: msToNs(p.tMs),
                      asDouble: p.value,
                      attributes: attributes(p.attributes ?? {}),
                    })),
                  },
                };
              return {
                name: m.name,
                unit: m.unit,
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: m.points.map((p) => ({
                    startTimeUnixNano: msToNs(m.startMs),
                    timeUnixNano: msToNs(p.tMs),
                    count: String(p.counts.reduce((a, b) => a + b, 0)),
                    sum: p.sum,
                    bucketCounts: p.counts.map(String),
                    explicitBounds: m.bounds,
                    attributes: attributes(p.attributes ?? {}),
                  })),
                },
              };
            }),
          },
        ],
      },
    ],
  };
}

/** Posts an OTLP/JSON request and fails loudly unless the viewer accepted all of it. */
export async function postOtlp(
  baseUrl: string,
  signal: 'traces' | 'metrics' | 'logs',
  body: unknown,
): Promise<void> {
  const res = await fetch(`${baseUrl}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /v1/${signal}: ${res.status} ${text}`);
  const parsed = JSON.parse(text || '{}') as {
    partialSuccess?: {
      rejectedSpans?: string;
      rejectedLogRecords?: string;
      rejectedDataPoints?: string;
      errorMessage?: string;
    };
  };
  const ps = parsed.partialSuccess;
  if (
    ps &&
    (Number(ps.rejectedSpans ?? 0) ||
      Number(ps.rejectedLogRecords ?? 0) ||
      Number(ps.rejectedDataPoints ?? 0))
  )
    throw new Error(`POST /v1/${signal}: partial success ${JSON.stringify(ps)}`);
}
