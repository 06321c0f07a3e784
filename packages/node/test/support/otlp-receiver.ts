/**
 * A real, in-process OTLP receiver for end-to-end tests.
 *
 * It accepts what OTLP exporters send over OTLP/HTTP protobuf, OTLP/HTTP JSON and OTLP/gRPC, decodes every
 * request with the OTLP .proto schema in ./proto (protobufjs, and @grpc/proto-loader for the gRPC service),
 * and records spans, metrics and log records in ONE normalized shape whatever the transport, so a test can
 * assert the same way for all three protocols.
 *
 * - HTTP: `POST /v1/traces`, `/v1/metrics`, `/v1/logs`, `content-type: application/x-protobuf` or
 *   `application/json`, optional `content-encoding: gzip` (or `deflate`). Answers an empty
 *   Export*ServiceResponse in the request's encoding (empty protobuf body, or `{}`).
 * - gRPC: `opentelemetry.proto.collector.{trace,metrics,logs}.v1.{Trace,Metrics,Logs}Service/Export`.
 * - `respond` lets a test refuse a request (e.g. 503 with Retry-After): refused data is not recorded, but the
 *   request is. Undecodable bodies get HTTP 400 (gRPC INVALID_ARGUMENT) and are listed in `errors`.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

export type Signal = 'traces' | 'metrics' | 'logs';
export type Transport = 'http/protobuf' | 'http/json' | 'grpc';

export interface ReceivedScope {
  name: string;
  version: string;
}

export interface ReceivedSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** '' when the span has no parent. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  traceState: string;
  resource: Record<string, unknown>;
  scope: ReceivedScope;
  /** Extra: W3C trace flags in the low 8 bits, plus the OTLP HAS_IS_REMOTE (0x100) / IS_REMOTE (0x200) bits. */
  flags: number;
  /** Extra: dropped_attributes_count, dropped_events_count, dropped_links_count. */
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

export interface ReceivedMetricPoint {
  attributes: Record<string, unknown>;
  /** sum and gauge points: as_int or as_double. */
  value?: number;
  /** histogram, exponentialHistogram and summary points. */
  count?: number;
  sum?: number;
  /** Extra, histogram and exponentialHistogram points, when sent. */
  min?: number;
  max?: number;
  /** Extra, histogram points only. */
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** Extra, exponentialHistogram points only. */
  scale?: number;
  zeroCount?: number;
  /** Extra, summary points only. */
  quantileValues?: { quantile: number; value: number }[];
}

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  points: ReceivedMetricPoint[];
  resource: Record<string, unknown>;
  scope: ReceivedScope;
  /** 1 delta, 2 cumulative; set for sum, histogram and exponentialHistogram only. */
  temporality?: number;
  /** Set for sum only. */
  isMonotonic?: boolean;
}

export interface ReceivedLog {
  /** The AnyValue body as a plain JS value; undefined when the record has no body. */
  body: unknown;
  severityNumber: number;
  severityText: string;
  /** '' when the record carries no trace context. */
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: ReceivedScope;
  /** Extra fields. */
  eventName: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  flags: number;
}

export interface ReceivedRequest {
  signal: Signal;
  transport: Transport;
  /**
   * Lowercase names. HTTP: the request headers. gRPC: the call metadata (binary `-bin` values in base64),
   * plus `grpc-encoding` (which grpc-js itself strips) when the client compressed the message.
   */
  headers: Record<string, string>;
  /** The body (HTTP) or the message (gRPC) was gzip-compressed. */
  gzip: boolean;
  /** Extra: the HTTP path, or the gRPC method path. */
  path: string;
  /** Extra: the HTTP status answered (for gRPC, the HTTP-style status that was mapped to a gRPC code). */
  status: number;
  /** Extra: spans, metrics or log records recorded from this request (0 when refused or undecodable). */
  items: number;
}

export interface RespondResult {
  status: number;
  headers?: Record<string, string>;
  /** gRPC only: the status code to answer instead of the one mapped from `status`. */
  grpcCode?: number;
}

export interface OtlpReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** HTTP port; default 0 (ephemeral). */
  port?: number;
  /** Also start a gRPC server, on its own port. */
  grpc?: boolean;
  /** gRPC port; default 0 (ephemeral). */
  grpcPort?: number;
  /**
   * Lets a test answer a request (both transports) with e.g. 503 and Retry-After; undefined means 200 OK.
   * With a non-2xx status the data is not recorded, but the request is. May return a promise (to delay).
   */
  respond?: (
    request: ReceivedRequest,
  ) => RespondResult | undefined | Promise<RespondResult | undefined>;
}

export interface WaitForOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

export interface OtlpReceiver {
  /** e.g. http://127.0.0.1:43123, no trailing slash. */
  readonly httpUrl: string;
  /** e.g. http://127.0.0.1:43124, when started with `grpc: true`. */
  readonly grpcUrl?: string;
  readonly spans: ReceivedSpan[];
  readonly metrics: ReceivedMetric[];
  readonly logs: ReceivedLog[];
  readonly requests: ReceivedRequest[];
  /** Why undecodable requests were rejected, in order. */
  readonly errors: string[];
  /**
   * Polls `predicate` until it returns something other than undefined, null or false, and resolves with it.
   * A predicate that throws is retried too; on timeout the rejection names `what`, what was received, and
   * the predicate's last error.
   */
  waitFor<T>(predicate: () => T | undefined | null | false, opts?: WaitForOptions): Promise<T>;
  /** Closes both servers, force-closing open connections. Safe to call twice. */
  stop(): Promise<void>;
  /** Clears spans, metrics, logs, requests and errors (in place). */
  reset(): void;
}

// ---------------------------------------------------------------------------------------------------------
// Schema loading
// ---------------------------------------------------------------------------------------------------------

const SERVICE_NAMES: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
};
const REQUEST_TYPES: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
};
const SERVICE_FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
];
const HTTP_PATHS: Record<string, Signal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

/** The .proto files live in test/support/proto; this module runs from dist/test/support, which tsc fills with JS only. */
function findProtoDir(): string {
  const candidates = [
    new URL('./proto/', import.meta.url),
    new URL('../../../test/support/proto/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (existsSync(join(dir, SERVICE_FILES[0] as string))) return dir;
  }
  throw new Error(
    `OTLP .proto files not found; looked in ${candidates.map((c) => fileURLToPath(c)).join(' and ')}`,
  );
}

/** How decoded messages become plain objects: int64/fixed64 as decimal strings (no precision loss), enums as numbers, bytes as Buffers, repeated fields always arrays. */
const TO_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  arrays: true,
  defaults: false,
};

interface Schema {
  protoDir: string;
  types: Record<Signal, protobuf.Type>;
}
let schema: Schema | undefined;

function loadSchema(): Schema {
  if (schema) return schema;
  if (!protobuf.util.Long)
    throw new Error('protobufjs found no "long" package: 64-bit OTLP fields would lose precision');
  const protoDir = findProtoDir();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoDir, target);
  root.loadSync(SERVICE_FILES, { keepCase: false });
  root.resolveAll();
  schema = {
    protoDir,
    types: {
      traces: root.lookupType(REQUEST_TYPES.traces),
      metrics: root.lookupType(REQUEST_TYPES.metrics),
      logs: root.lookupType(REQUEST_TYPES.logs),
    },
  };
  return schema;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding: protobuf bytes, or OTLP JSON, into the normalized shape
// ---------------------------------------------------------------------------------------------------------

/** The plain-object form of decoded OTLP messages (protobufjs toObject with TO_OBJECT), as far as we read it. */
interface PbAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: PbAnyValue[] };
  kvlistValue?: { values?: PbKeyValue[] };
  bytesValue?: Uint8Array;
}
interface PbKeyValue {
  key?: string;
  value?: PbAnyValue;
}
interface PbResource {
  attributes?: PbKeyValue[];
}
interface PbScope {
  name?: string;
  version?: string;
}
interface PbSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  traceState?: string;
  parentSpanId?: Uint8Array;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: PbKeyValue[];
  droppedAttributesCount?: number;
  events?: { name?: string; attributes?: PbKeyValue[] }[];
  droppedEventsCount?: number;
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; attributes?: PbKeyValue[] }[];
  droppedLinksCount?: number;
  status?: { message?: string; code?: number };
}
interface PbTracesRequest {
  resourceSpans?: { resource?: PbResource; scopeSpans?: { scope?: PbScope; spans?: PbSpan[] }[] }[];
}
interface PbNumberPoint {
  attributes?: PbKeyValue[];
  asDouble?: number;
  asInt?: string;
}
interface PbHistogramPoint {
  attributes?: PbKeyValue[];
  count?: string;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: string[];
  explicitBounds?: number[];
}
interface PbExponentialHistogramPoint {
  attributes?: PbKeyValue[];
  count?: string;
  sum?: number;
  min?: number;
  max?: number;
  scale?: number;
  zeroCount?: string;
}
interface PbSummaryPoint {
  attributes?: PbKeyValue[];
  count?: string;
  sum?: number;
  quantileValues?: { quantile?: number; value?: number }[];
}
interface PbMetric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: PbNumberPoint[] };
  sum?: { dataPoints?: PbNumberPoint[]; aggregationTemporality?: number; isMonotonic?: boolean };
  histogram?: { dataPoints?: PbHistogramPoint[]; aggregationTemporality?: number };
  exponentialHistogram?: {
    dataPoints?: PbExponentialHistogramPoint[];
    aggregationTemporality?: number;
  };
  summary?: { dataPoints?: PbSummaryPoint[] };
}
interface PbMetricsRequest {
  resourceMetrics?: {
    resource?: PbResource;
    scopeMetrics?: { scope?: PbScope; metrics?: PbMetric[] }[];
  }[];
}
interface PbLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: PbAnyValue;
  attributes?: PbKeyValue[];
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}
interface PbLogsRequest {
  resourceLogs?: {
    resource?: PbResource;
    scopeLogs?: { scope?: PbScope; logRecords?: PbLogRecord[] }[];
  }[];
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A 64-bit integer as a number when it is safe, else as a bigint. */
function int64(value: string | undefined): number | bigint {
  const big = BigInt(value ?? '0');
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '';
}

/** Sets a property even when the key is `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function anyValue(value: PbAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return int64(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue !== undefined) return attributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return new Uint8Array(value.bytesValue);
  return undefined;
}

function attributes(list: PbKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) put(out, kv.key ?? '', anyValue(kv.value));
  return out;
}

function scopeOf(scope: PbScope | undefined): ReceivedScope {
  return { name: scope?.name ?? '', version: scope?.version ?? '' };
}

function normalizeSpans(request: PbTracesRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      const scope = scopeOf(ss.scope);
      for (const span of ss.spans ?? []) {
        out.push({
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: hex(span.parentSpanId),
          name: span.name ?? '',
          kind: span.kind ?? 0,
          startTimeUnixNano: BigInt(span.startTimeUnixNano ?? '0'),
          endTimeUnixNano: BigInt(span.endTimeUnixNano ?? '0'),
          attributes: attributes(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: event.name ?? '',
            attributes: attributes(event.attributes),
          })),
          links: (span.links ?? []).map((link) => ({
            traceId: hex(link.traceId),
            spanId: hex(link.spanId),
            attributes: attributes(link.attributes),
          })),
          status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
          traceState: span.traceState ?? '',
          resource,
          scope,
          flags: span.flags ?? 0,
          droppedAttributesCount: span.droppedAttributesCount ?? 0,
          droppedEventsCount: span.droppedEventsCount ?? 0,
          droppedLinksCount: span.droppedLinksCount ?? 0,
        });
      }
    }
  }
  return out;
}

/** Copies the optional numeric fields that are present. */
function withOptional<T extends object>(
  target: T,
  fields: Partial<Record<keyof T, number | undefined>>,
): T {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}

function normalizeMetric(
  metric: PbMetric,
  resource: Record<string, unknown>,
  scope: ReceivedScope,
): ReceivedMetric {
  const base = {
    name: metric.name ?? '',
    description: metric.description ?? '',
    unit: metric.unit ?? '',
    resource,
    scope,
  };
  const numberPoints = (points: PbNumberPoint[] | undefined): ReceivedMetricPoint[] =>
    (points ?? []).map((p) =>
      withOptional<ReceivedMetricPoint>(
        { attributes: attributes(p.attributes) },
        { value: p.asInt !== undefined ? Number(p.asInt) : p.asDouble },
      ),
    );
  if (metric.sum) {
    return {
      ...base,
      type: 'sum',
      points: numberPoints(metric.sum.dataPoints),
      temporality: metric.sum.aggregationTemporality ?? 0,
      isMonotonic: metric.sum.isMonotonic ?? false,
    };
  }
  if (metric.gauge)
    return { ...base, type: 'gauge', points: numberPoints(metric.gauge.dataPoints) };
  if (metric.histogram) {
    return {
      ...base,
      type: 'histogram',
      temporality: metric.histogram.aggregationTemporality ?? 0,
      points: (metric.histogram.dataPoints ?? []).map((p) =>
        withOptional<ReceivedMetricPoint>(
          {
            attributes: attributes(p.attributes),
            count: Number(p.count ?? '0'),
            bucketCounts: (p.bucketCounts ?? []).map(Number),
            explicitBounds: p.explicitBounds ?? [],
          },
          { sum: p.sum, min: p.min, max: p.max },
        ),
      ),
    };
  }
  if (metric.exponentialHistogram) {
    return {
      ...base,
      type: 'exponentialHistogram',
      temporality: metric.exponentialHistogram.aggregationTemporality ?? 0,
      points: (metric.exponentialHistogram.dataPoints ?? []).map((p) =>
        withOptional<ReceivedMetricPoint>(
          {
            attributes: attributes(p.attributes),
            count: Number(p.count ?? '0'),
            scale: p.scale ?? 0,
            zeroCount: Number(p.zeroCount ?? '0'),
          },
          { sum: p.sum, min: p.min, max: p.max },
        ),
      ),
    };
  }
  if (metric.summary) {
    return {
      ...base,
      type: 'summary',
      points: (metric.summary.dataPoints ?? []).map((p) => ({
        attributes: attributes(p.attributes),
        count: Number(p.count ?? '0'),
        sum: p.sum ?? 0,
        quantileValues: (p.quantileValues ?? []).map((q) => ({
          quantile: q.quantile ?? 0,
          value: q.value ?? 0,
        })),
      })),
    };
  }
  throw new Error(
    `metric "${base.name}" has no data (none of gauge, sum, histogram, exponentialHistogram, summary)`,
  );
}

function normalizeMetrics(request: PbMetricsRequest): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of request.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      const scope = scopeOf(sm.scope);
      for (const metric of sm.metrics ?? []) out.push(normalizeMetric(metric, resource, scope));
    }
  }
  return out;
}

function normalizeLogs(request: PbLogsRequest): ReceivedLog[] {
  const out: ReceivedLog[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributes(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      const scope = scopeOf(sl.scope);
      for (const record of sl.logRecords ?? []) {
        out.push({
          body: anyValue(record.body),
          severityNumber: record.severityNumber ?? 0,
          severityText: record.severityText ?? '',
          traceId: hex(record.traceId),
          spanId: hex(record.spanId),
          attributes: attributes(record.attributes),
          resource,
          scope,
          eventName: record.eventName ?? '',
          timeUnixNano: BigInt(record.timeUnixNano ?? '0'),
          observedTimeUnixNano: BigInt(record.observedTimeUnixNano ?? '0'),
          flags: record.flags ?? 0,
        });
      }
    }
  }
  return out;
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * The OTLP JSON mapping differs from the proto3 JSON mapping in one way: trace and span ids are hex strings,
 * not base64. Rewrite them to base64 so protobufjs' fromObject (which takes proto3 JSON: enum names or
 * numbers, 64-bit integers as strings or numbers, bytes in base64) reads the rest.
 */
function hexIdsToBase64(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => hexIdsToBase64(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (ID_FIELDS.has(key) && typeof field === 'string') {
      if (!HEX.test(field))
        throw new Error(`${path}.${key} is not a hex string: ${JSON.stringify(field)}`);
      put(out, key, Buffer.from(field, 'hex').toString('base64'));
    } else {
      put(out, key, hexIdsToBase64(field, `${path}.${key}`));
    }
  }
  return out;
}

export interface DecodedExport {
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  logs: ReceivedLog[];
}

/**
 * Decodes one Export*ServiceRequest body (already decompressed) into the normalized shape. Throws on a body
 * that is not a valid request. Exported so tests can decode a captured payload directly.
 */
export function decodeOtlpRequest(
  signal: Signal,
  encoding: 'protobuf' | 'json',
  body: Uint8Array,
): DecodedExport {
  const type = loadSchema().types[signal];
  let message: protobuf.Message;
  if (encoding === 'protobuf') {
    message = type.decode(body);
  } else {
    const json: unknown = JSON.parse(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
    );
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new Error('the JSON body is not an object');
    message = type.fromObject(hexIdsToBase64(json, '$') as Record<string, unknown>);
  }
  const plain = type.toObject(message, TO_OBJECT);
  const decoded: DecodedExport = { spans: [], metrics: [], logs: [] };
  if (signal === 'traces') decoded.spans = normalizeSpans(plain as PbTracesRequest);
  else if (signal === 'metrics') decoded.metrics = normalizeMetrics(plain as PbMetricsRequest);
  else decoded.logs = normalizeLogs(plain as PbLogsRequest);
  return decoded;
}

// ---------------------------------------------------------------------------------------------------------
// The receiver
// ---------------------------------------------------------------------------------------------------------

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** HTTP status to the gRPC code OTLP pairs it with (see the OTLP spec's failure tables). */
function grpcCodeFor(status: number): grpc.status {
  switch (status) {
    case 400:
      return grpc.status.INVALID_ARGUMENT;
    case 401:
      return grpc.status.UNAUTHENTICATED;
    case 403:
      return grpc.status.PERMISSION_DENIED;
    case 404:
    case 501:
      return grpc.status.UNIMPLEMENTED;
    case 408:
    case 504:
      return grpc.status.DEADLINE_EXCEEDED;
    case 413:
    case 429:
      return grpc.status.RESOURCE_EXHAUSTED;
    case 500:
      return grpc.status.INTERNAL;
    case 502:
    case 503:
      return grpc.status.UNAVAILABLE;
    default:
      return grpc.status.UNKNOWN;
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A google.rpc.Status { int32 code = 1; string message = 2; }, the body OTLP/HTTP puts on error responses. */
function encodeRpcStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}

/**
 * grpc-js removes `grpc-encoding` from the metadata a handler sees; the first server interceptor still gets
 * the base call, which knows it. Put it back so a test can see that the client compressed.
 */
const restoreGrpcEncoding: grpc.ServerInterceptor = (_method, call) => {
  const encoding = (call as unknown as { incomingEncoding?: unknown }).incomingEncoding;
  return new grpc.ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (metadata, nextMetadata) => {
          if (typeof encoding === 'string' && encoding !== 'identity')
            metadata.set('grpc-encoding', encoding);
          nextMetadata(metadata);
        },
      }),
  });
};

class Receiver implements OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metrics: ReceivedMetric[] = [];
  readonly logs: ReceivedLog[] = [];
  readonly requests: ReceivedRequest[] = [];
  readonly errors: string[] = [];
  httpUrl = '';
  grpcUrl?: string;
  private readonly httpServer: Server;
  private grpcServer?: grpc.Server;
  private stopped?: Promise<void>;

  constructor(private readonly options: OtlpReceiverOptions) {
    this.httpServer = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        this.errors.push(`internal receiver error: ${errorMessage(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`internal receiver error: ${errorMessage(error)}`);
      });
    });
  }

  async start(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    const urlHost = host.includes(':') ? `[${host}]` : host;
    await new Promise<void>((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(this.options.port ?? 0, host, () => {
        this.httpServer.off('error', reject);
        resolve();
      });
    });
    const address = this.httpServer.address();
    if (address === null || typeof address === 'string')
      throw new Error(`unexpected HTTP server address ${String(address)}`);
    this.httpUrl = `http://${urlHost}:${address.port}`;

    if (this.options.grpc) {
      const server = this.createGrpcServer();
      this.grpcServer = server;
      const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(
          `${urlHost}:${this.options.grpcPort ?? 0}`,
          grpc.ServerCredentials.createInsecure(),
          (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
        );
      });
      this.grpcUrl = `http://${urlHost}:${port}`;
    }
  }

  reset(): void {
    this.spans.length = 0;
    this.metrics.length = 0;
    this.logs.length = 0;
    this.requests.length = 0;
    this.errors.length = 0;
  }

  async waitFor<T>(
    predicate: () => T | undefined | null | false,
    opts: WaitForOptions = {},
  ): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const result = predicate();
        if (result !== undefined && result !== null && result !== false) return result;
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(10);
    }
    const because =
      lastError === undefined ? '' : `\nThe predicate last threw: ${errorMessage(lastError)}`;
    throw new Error(
      `Timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'the predicate'}.\n${this.describe()}${because}`,
    );
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.grpcServer?.forceShutdown();
      await new Promise<void>((resolve) => {
        this.httpServer.close(() => resolve());
        this.httpServer.closeAllConnections();
      });
    })();
    return this.stopped;
  }

  /** What was received so far, for timeout messages. */
  private describe(): string {
    const list = (names: string[]): string =>
      names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ');
    const lines = [
      `Received ${this.spans.length} span(s): ${list(this.spans.map((s) => s.name))}`,
      `Received ${this.metrics.length} metric(s): ${list(this.metrics.map((m) => m.name))}`,
      `Received ${this.logs.length} log record(s): ${list(this.logs.map((l) => String(l.body)))}`,
      `Received ${this.requests.length} request(s): ${list(this.requests.map((r) => `${r.signal} ${r.transport} → ${r.status}`))}`,
    ];
    if (this.errors.length > 0) lines.push(`Rejected as undecodable: ${this.errors.join('; ')}`);
    return lines.join('\n');
  }

  private record(request: ReceivedRequest, decoded?: DecodedExport): void {
    if (decoded)
      request.items = decoded.spans.length + decoded.metrics.length + decoded.logs.length;
    this.requests.push(request);
    if (decoded) {
      this.spans.push(...decoded.spans);
      this.metrics.push(...decoded.metrics);
      this.logs.push(...decoded.logs);
    }
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const signal = HTTP_PATHS[path];
    if (!signal)
      return void res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`no OTLP signal at ${path}`);
    if (req.method !== 'POST')
      return void res
        .writeHead(405, { allow: 'POST', 'content-type': 'text/plain' })
        .end('use POST');

    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const encoding =
      mediaType === 'application/x-protobuf'
        ? 'protobuf'
        : mediaType === 'application/json'
          ? 'json'
          : undefined;
    if (!encoding) {
      return void res
        .writeHead(415, { 'content-type': 'text/plain' })
        .end(`unsupported content-type ${JSON.stringify(req.headers['content-type'] ?? '')}`);
    }
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!['identity', 'gzip', 'deflate'].includes(contentEncoding)) {
      return void res
        .writeHead(415, { 'content-type': 'text/plain' })
        .end(`unsupported content-encoding ${contentEncoding}`);
    }

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return void res.writeHead(413, { connection: 'close' }).end();
      chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks);

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) put(headers, name, Array.isArray(value) ? value.join(', ') : value);
    }
    const request: ReceivedRequest = {
      signal,
      transport: encoding === 'protobuf' ? 'http/protobuf' : 'http/json',
      headers,
      gzip: contentEncoding === 'gzip',
      path,
      status: 200,
      items: 0,
    };
    const contentType = encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
    const sendStatus = (
      status: number,
      message: string,
      extraHeaders: Record<string, string> = {},
    ): void => {
      // OTLP/HTTP error bodies are a google.rpc.Status in the request's encoding.
      const code = grpcCodeFor(status);
      const body =
        encoding === 'protobuf'
          ? encodeRpcStatus(code, message)
          : JSON.stringify({ code, message });
      res.writeHead(status, { ...extraHeaders, 'content-type': contentType }).end(body);
    };

    const answer = await this.options.respond?.(request);
    if (answer && !isSuccess(answer.status)) {
      request.status = answer.status;
      this.record(request);
      return sendStatus(
        answer.status,
        `refused by the test receiver with ${answer.status}`,
        answer.headers,
      );
    }

    let decoded: DecodedExport;
    try {
      const body =
        contentEncoding === 'gzip'
          ? await gunzipAsync(raw)
          : contentEncoding === 'deflate'
            ? await inflateAsync(raw)
            : raw;
      decoded = decodeOtlpRequest(signal, encoding, body);
    } catch (error) {
      const message = `${request.transport} ${signal}: ${errorMessage(error)}`;
      this.errors.push(message);
      request.status = 400;
      this.record(request);
      return sendStatus(400, message);
    }
    request.status = answer?.status ?? 200;
    this.record(request, decoded);
    // An empty Export*ServiceResponse: no bytes in protobuf, `{}` in JSON.
    res
      .writeHead(request.status, { ...answer?.headers, 'content-type': contentType })
      .end(encoding === 'protobuf' ? '' : '{}');
  }

  private createGrpcServer(): grpc.Server {
    const definitions = protoLoader.loadSync(SERVICE_FILES, {
      includeDirs: [loadSchema().protoDir],
      keepCase: false,
    });
    const server = new grpc.Server({
      interceptors: [restoreGrpcEncoding],
      'grpc.max_receive_message_length': MAX_BODY_BYTES,
    });
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const service = definitions[SERVICE_NAMES[signal]] as
        | protoLoader.ServiceDefinition
        | undefined;
      const method = service?.Export;
      if (!method)
        throw new Error(`${SERVICE_NAMES[signal]}/Export is missing from the .proto files`);
      // Take the request as raw bytes and decode it exactly as OTLP/HTTP protobuf is decoded.
      const definition: grpc.ServiceDefinition = {
        Export: { ...method, requestDeserialize: (bytes: Buffer) => bytes },
      };
      const handler: grpc.handleUnaryCall<Buffer, object> = (call, callback) => {
        this.handleGrpc(signal, method.path, call.request, call.metadata, callback).catch(
          (error: unknown) => {
            this.errors.push(`internal receiver error: ${errorMessage(error)}`);
            callback({ code: grpc.status.INTERNAL, details: errorMessage(error) });
          },
        );
      };
      server.addService(definition, { Export: handler });
    }
    return server;
  }

  private async handleGrpc(
    signal: Signal,
    path: string,
    message: Buffer,
    metadata: grpc.Metadata,
    callback: grpc.sendUnaryData<object>,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata.getMap())) {
      put(headers, name, typeof value === 'string' ? value : value.toString('base64'));
    }
    const request: ReceivedRequest = {
      signal,
      transport: 'grpc',
      headers,
      gzip: headers['grpc-encoding'] === 'gzip',
      path,
      status: 200,
      items: 0,
    };

    const answer = await this.options.respond?.(request);
    if (answer && !isSuccess(answer.status)) {
      request.status = answer.status;
      this.record(request);
      const trailers = new grpc.Metadata();
      for (const [name, value] of Object.entries(answer.headers ?? {})) trailers.set(name, value);
      return callback({
        code: answer.grpcCode ?? grpcCodeFor(answer.status),
        details: `refused by the test receiver with ${answer.status}`,
        metadata: trailers,
      });
    }

    let decoded: DecodedExport;
    try {
      decoded = decodeOtlpRequest(signal, 'protobuf', message);
    } catch (error) {
      const text = `grpc ${signal}: ${errorMessage(error)}`;
      this.errors.push(text);
      request.status = 400;
      this.record(request);
      return callback({ code: grpc.status.INVALID_ARGUMENT, details: text });
    }
    request.status = answer?.status ?? 200;
    this.record(request, decoded);
    callback(null, {});
  }
}

/** Starts an OTLP receiver on 127.0.0.1, ephemeral port(s) unless told otherwise. */
export async function startOtlpReceiver(opts: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  loadSchema();
  const receiver = new Receiver(opts);
  try {
    await receiver.start();
  } catch (error) {
    await receiver.stop();
    throw error;
  }
  return receiver;
}
