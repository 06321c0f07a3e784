/**
 * The options of `init()`. They are plain, serialisable data so that a `SIGHTLINE_CONFIG` JSON file
 * holds exactly the same shape. Every option names the environment variable that sets it when code
 * does not (precedence: code > environment > config file > defaults).
 */

/** Levels of the diagnostic logger, as `OTEL_LOG_LEVEL` spells them (case-insensitive). */
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
export type Compression = 'gzip' | 'none';
export type TraceExporterName = 'otlp' | 'console' | 'zipkin' | 'none';
export type MetricExporterName = 'otlp' | 'console' | 'prometheus' | 'none';
export type LogExporterName = 'otlp' | 'console' | 'none';
export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'jaeger' | 'none';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';
export type ResourceDetectorName =
  | 'env'
  | 'host'
  | 'os'
  | 'process'
  | 'serviceinstance'
  | 'container';
export type AttributeValue = string | number | boolean;

/** OTLP exporter settings; shared ones (`otlp`) and per signal (`traces.otlp` …), the latter winning. */
export interface OtlpOptions {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT`. Shared: a base URL (`/v1/<signal>` is appended for HTTP); per signal: the full URL. */
  endpoint?: string;
  /** `OTEL_EXPORTER_OTLP_PROTOCOL` and per-signal variants. Default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** `OTEL_EXPORTER_OTLP_HEADERS` and per-signal variants (`key=value,key2=value2`, percent-encoded). */
  headers?: Record<string, string>;
  /** `OTEL_EXPORTER_OTLP_TIMEOUT` and per-signal variants, milliseconds. Default 10000. */
  timeoutMillis?: number;
  /** `OTEL_EXPORTER_OTLP_COMPRESSION` and per-signal variants. Default `none`. */
  compression?: Compression;
}

/** Batching of spans (`OTEL_BSP_*`) or log records (`OTEL_BLRP_*`). */
export interface BatchOptions {
  /** `OTEL_BSP_SCHEDULE_DELAY` (default 5000) / `OTEL_BLRP_SCHEDULE_DELAY` (default 1000), ms. */
  scheduledDelayMillis?: number;
  /** `OTEL_BSP_EXPORT_TIMEOUT` / `OTEL_BLRP_EXPORT_TIMEOUT`, ms. Default 30000. */
  exportTimeoutMillis?: number;
  /** `OTEL_BSP_MAX_QUEUE_SIZE` / `OTEL_BLRP_MAX_QUEUE_SIZE`. Default 2048. What does not fit is dropped and counted. */
  maxQueueSize?: number;
  /** `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` / `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`. Default 512; at most `maxQueueSize`. */
  maxExportBatchSize?: number;
}

export interface SamplerOptions {
  /** `OTEL_TRACES_SAMPLER`. Default `parentbased_always_on`. */
  name?: SamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`: the ratio for the `*traceidratio` samplers, in [0, 1]. Default 1. */
  ratio?: number;
}

export interface SpanLimitsOptions {
  /** `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT` (falls back to `OTEL_ATTRIBUTE_COUNT_LIMIT`). Default 128. */
  attributeCountLimit?: number;
  /** `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` (falls back to `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`). Default unlimited. */
  attributeValueLengthLimit?: number;
  /** `OTEL_SPAN_EVENT_COUNT_LIMIT`. Default 128. */
  eventCountLimit?: number;
  /** `OTEL_SPAN_LINK_COUNT_LIMIT`. Default 128. */
  linkCountLimit?: number;
  /** `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`. Default 128. */
  attributePerEventCountLimit?: number;
  /** `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`. Default 128. */
  attributePerLinkCountLimit?: number;
}

export interface LogRecordLimitsOptions {
  /** `OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT` (falls back to `OTEL_ATTRIBUTE_COUNT_LIMIT`). Default 128. */
  attributeCountLimit?: number;
  /** `OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT` (falls back to `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`). Default unlimited. */
  attributeValueLengthLimit?: number;
}

export interface TracesOptions {
  /** `OTEL_TRACES_EXPORTER`: one or more of `otlp`, `console`, `zipkin`, or `none`. Default `otlp`. */
  exporters?: TraceExporterName[];
  otlp?: OtlpOptions;
  sampler?: SamplerOptions;
  batch?: BatchOptions;
  /**
   * `SIGHTLINE_BAGGAGE_ATTRIBUTES`: baggage keys copied onto every span as `baggage.<key>` attributes.
   * Only these: baggage comes from callers and is untrusted. Default none.
   */
  baggageAttributes?: string[];
  limits?: SpanLimitsOptions;
  zipkin?: {
    /** `OTEL_EXPORTER_ZIPKIN_ENDPOINT`. Default `http://localhost:9411/api/v2/spans`. */
    endpoint?: string;
  };
}

export interface MetricsOptions {
  /** `OTEL_METRICS_EXPORTER`: one or more of `otlp`, `console`, `prometheus`, or `none`. Default `otlp`. */
  exporters?: MetricExporterName[];
  otlp?: OtlpOptions;
  /** `OTEL_METRIC_EXPORT_INTERVAL`, ms. Default 60000. */
  exportIntervalMillis?: number;
  /** `OTEL_METRIC_EXPORT_TIMEOUT`, ms. Default 30000; at most the interval. */
  exportTimeoutMillis?: number;
  /** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`. Default `cumulative`. */
  temporalityPreference?: TemporalityPreference;
  prometheus?: {
    /** `OTEL_EXPORTER_PROMETHEUS_HOST`. Default `127.0.0.1`; any other address needs `token`. */
    host?: string;
    /** `OTEL_EXPORTER_PROMETHEUS_PORT`. Default 9464. */
    port?: number;
    /** `SIGHTLINE_PROMETHEUS_TOKEN`: bearer token the scrape must carry; required off loopback. */
    token?: string;
  };
}

/** Log levels by name, least severe first, as the pino and winston instrumentations compare them. */
export type LogRecordLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** What the `pino` and `winston` instrumentations do with each record (see docs/logs.md). */
export interface LogInstrumentationOptions {
  /** `SIGHTLINE_LOG_CORRELATION`: add `trace_id`, `span_id` and `trace_flags` to records made inside a span. Default true. */
  correlation?: boolean;
  /** `SIGHTLINE_LOG_SENDING`: also send records through the OpenTelemetry Logs API (exported over OTLP). Default true. */
  sending?: boolean;
  /** `SIGHTLINE_LOG_SEND_LEVEL`: the least severe level that is sent. Default `trace` (everything the logger writes). */
  sendLevel?: LogRecordLevel;
  /** `SIGHTLINE_LOG_SPAN_EVENTS`: opt-in; error-level records inside a recording span also become span events. Default false. */
  spanEvents?: boolean;
}

export interface LogsOptions {
  /** `OTEL_LOGS_EXPORTER`: one or more of `otlp`, `console`, or `none`. Default `otlp`. */
  exporters?: LogExporterName[];
  otlp?: OtlpOptions;
  batch?: BatchOptions;
  limits?: LogRecordLimitsOptions;
  /** The log-library instrumentations (`pino`, `winston`). */
  instrumentation?: LogInstrumentationOptions;
}

export interface ServiceOptions {
  /** `OTEL_SERVICE_NAME` (or `service.name` in `OTEL_RESOURCE_ATTRIBUTES`). Default `unknown_service:node`. */
  name?: string;
  /** `service.version`; default: the `version` of the app's package.json when found. */
  version?: string;
  /** `service.namespace`. */
  namespace?: string;
  /** `service.instance.id`; default a random UUID per process. */
  instanceId?: string;
}

export interface ResourceOptions {
  /** `OTEL_RESOURCE_ATTRIBUTES`: extra resource attributes. */
  attributes?: Record<string, AttributeValue>;
  /** `OTEL_NODE_RESOURCE_DETECTORS`: which detectors run. Default all; `[]` for none. */
  detectors?: ResourceDetectorName[];
}

export interface ShutdownOptions {
  /** `SIGHTLINE_SHUTDOWN_TIMEOUT`: how long `shutdown()` and the signal hooks may take, ms. Default 5000. */
  timeoutMillis?: number;
  /** `SIGHTLINE_HANDLE_SIGNALS`: flush on SIGTERM, SIGINT and `beforeExit`. Default true. */
  handleSignals?: boolean;
}

import type { InstrumentationName } from '../instrumentation/names.js';

export type { InstrumentationName };

/** Which instrumentations `init()` enables, and how the built-in ones behave (docs/instrumentation.md). */
export interface InstrumentationsOptions {
  /** `OTEL_NODE_ENABLED_INSTRUMENTATIONS`: only these. Default all. */
  enabled?: InstrumentationName[];
  /** `OTEL_NODE_DISABLED_INSTRUMENTATIONS`: never these (applied after `enabled`). Default none. */
  disabled?: InstrumentationName[];
  http?: {
    /** `SIGHTLINE_HTTP_IGNORE_PATHS`: server paths not traced (exact match). Default health and metrics paths. */
    ignorePaths?: string[];
    /** `SIGHTLINE_HTTP_REQUEST_HEADERS`: request headers recorded (allow-list). Default none. */
    requestHeaders?: string[];
    /** `SIGHTLINE_HTTP_RESPONSE_HEADERS`: response headers recorded (allow-list). Default none. */
    responseHeaders?: string[];
    /** `SIGHTLINE_HTTP_TRACE_RESPONSE`: add a W3C `traceresponse` header to server responses. Default false. */
    traceResponse?: boolean;
    /** `OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS`: methods recorded as themselves; others become `_OTHER`. */
    knownMethods?: string[];
  };
  db?: {
    /** `SIGHTLINE_DB_SLOW_QUERY_THRESHOLD`, ms: queries at least this slow get an event and are counted. `0` turns it off. Default 1000. */
    slowQueryThresholdMillis?: number;
  };
  redis?: {
    /** `SIGHTLINE_REDIS_RAW_KEYS`: record raw keys instead of key patterns (`user:{id}`). Default false. */
    rawKeys?: boolean;
  };
}

/** Everything `init()` accepts; also the shape of the `SIGHTLINE_CONFIG` file. */
export interface SightlineOptions {
  /** `OTEL_SDK_DISABLED=true` turns the SDK off: `init()` returns a no-op handle. Default true. */
  enabled?: boolean;
  /** `OTEL_LOG_LEVEL`: the diagnostic logger's level. Default `info`. */
  logLevel?: LogLevel;
  service?: ServiceOptions;
  resource?: ResourceOptions;
  /** Shared OTLP settings for all three signals. */
  otlp?: OtlpOptions;
  /** `OTEL_PROPAGATORS`. Default `['tracecontext', 'baggage']`. */
  propagators?: PropagatorName[];
  /** `OTEL_ATTRIBUTE_COUNT_LIMIT` / `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`: defaults for spans and logs. */
  attributeLimits?: { attributeCountLimit?: number; attributeValueLengthLimit?: number };
  traces?: TracesOptions;
  metrics?: MetricsOptions;
  logs?: LogsOptions;
  /** What is instrumented automatically; see docs/instrumentation.md. */
  instrumentations?: InstrumentationsOptions;
  shutdown?: ShutdownOptions;
}
