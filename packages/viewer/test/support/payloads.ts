/** Hand-built OTLP payloads (protobuf via the official schema, and OTLP/JSON) for the receiver tests. */
import { randomBytes } from 'node:crypto';
import { encode } from './otlp-proto.js';

export function randomTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function randomSpanId(): string {
  return randomBytes(8).toString('hex');
}

const resource = (service: string) => ({
  attributes: [{ key: 'service.name', value: { stringValue: service } }],
});

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startNs: bigint;
  durationNs: bigint;
  status?: number;
  attributes?: Record<string, string | number | boolean>;
  service?: string;
}

function kv(attrs: Record<string, string | number | boolean> = {}) {
  return Object.entries(attrs).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: v }
            : { doubleValue: v },
  }));
}

/** An ExportTraceServiceRequest in protobuf, one ResourceSpans per service. */
export function tracesProtobuf(spans: SpanSpec[]): Uint8Array {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of spans) {
    const k = s.service ?? 'svc';
    byService.set(k, [...(byService.get(k) ?? []), s]);
  }
  return encode('traces', {
    resourceSpans: [...byService.entries()].map(([service, list]) => ({
      resource: resource(service),
      scopeSpans: [
        {
          scope: { name: 'hand', version: '1' },
          spans: list.map((s) => ({
            traceId: Buffer.from(s.traceId, 'hex'),
            spanId: Buffer.from(s.spanId, 'hex'),
            parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : undefined,
            name: s.name,
            kind: s.kind ?? 1,
            startTimeUnixNano: String(s.startNs),
            endTimeUnixNano: String(s.startNs + s.durationNs),
            attributes: kv(s.attributes),
            status: { code: s.status ?? 0 },
          })),
        },
      ],
    })),
  });
}

export const SUMMARY_AND_EXP_PROTOBUF = (service: string, traceId: string, spanId: string) =>
  encode('metrics', {
    resourceMetrics: [
      {
        resource: resource(service),
        scopeMetrics: [
          {
            scope: { name: 'hand-metrics', version: '9' },
            metrics: [
              {
                name: 'rpc.duration.summary',
                unit: 's',
                summary: {
                  dataPoints: [
                    {
                      attributes: kv({ method: 'get' }),
                      startTimeUnixNano: '1000',
                      timeUnixNano: '2000',
                      count: '10',
                      sum: 4.5,
                      quantileValues: [
                        { quantile: 0.5, value: 0.3 },
                        { quantile: 0.99, value: 1.2 },
                      ],
                    },
                  ],
                },
              },
              {
                name: 'temp.delta.exp',
                exponentialHistogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    {
                      attributes: kv({ probe: 'x' }),
                      startTimeUnixNano: '1000',
                      timeUnixNano: '2000',
                      count: '7',
                      sum: -3.5,
                      scale: -1,
                      zeroCount: '1',
                      zeroThreshold: 0.001,
                      positive: { offset: 2, bucketCounts: ['1', '2'] },
                      negative: { offset: -3, bucketCounts: ['3'] },
                      min: -8,
                      max: 40,
                      exemplars: [
                        {
                          timeUnixNano: '1500',
                          asDouble: 12.5,
                          traceId: Buffer.from(traceId, 'hex'),
                          spanId: Buffer.from(spanId, 'hex'),
                          filteredAttributes: kv({ user: 'u1' }),
                        },
                      ],
                    },
                  ],
                },
              },
              {
                name: 'big.int.gauge',
                gauge: {
                  dataPoints: [
                    {
                      timeUnixNano: '2000',
                      asInt: '-9007199254740993',
                      exemplars: [{ timeUnixNano: '1999', asInt: '4' }],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });

export const SUMMARY_AND_EXP_JSON = (service: string, traceId: string, spanId: string) => ({
  resourceMetrics: [
    {
      resource: resource(service),
      scopeMetrics: [
        {
          scope: { name: 'hand-metrics', version: '9' },
          metrics: [
            {
              name: 'rpc.duration.summary',
              unit: 's',
              summary: {
                dataPoints: [
                  {
                    attributes: kv({ method: 'get' }),
                    startTimeUnixNano: '1000',
                    timeUnixNano: '2000',
                    count: '10',
                    sum: 4.5,
                    quantileValues: [
                      { quantile: 0.5, value: 0.3 },
                      { quantile: 0.99, value: 1.2 },
                    ],
                  },
                ],
              },
            },
            {
              name: 'temp.delta.exp',
              exponentialHistogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    attributes: kv({ probe: 'x' }),
                    startTimeUnixNano: '1000',
                    timeUnixNano: '2000',
                    count: '7',
                    sum: -3.5,
                    scale: -1,
                    zeroCount: '1',
                    zeroThreshold: 0.001,
                    positive: { offset: 2, bucketCounts: ['1', '2'] },
                    negative: { offset: -3, bucketCounts: ['3'] },
                    min: -8,
                    max: 40,
                    exemplars: [
                      {
                        timeUnixNano: '1500',
                        asDouble: 12.5,
                        traceId,
                        spanId,
                        filteredAttributes: kv({ user: 'u1' }),
                      },
                    ],
                  },
                ],
              },
            },
            {
              name: 'big.int.gauge',
              gauge: {
                dataPoints: [
                  {
                    timeUnixNano: '2000',
                    asInt: '-9007199254740993',
                    exemplars: [{ timeUnixNano: '1999', asInt: '4' }],
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
});

/** POST a body to an OTLP/HTTP path; returns status, headers and the raw body. */
export async function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> = { 'content-type': 'application/x-protobuf' },
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
