import type { SamplingRule } from '../sampling/sampling-rule.js';
import type { TailPolicySpec } from '../sampling/tail-policy-spec.js';

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
  | 'parentbased_traceidratio'
  | 'sightline_adaptive'
  | 'sightline_rules'
  | 'sightline_error_biased';
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
  /**
   * `OTEL_TRACES_SAMPLER`. Default `parentbased_always_on` (`sightline_rules` when `rules` are set).
   * Sightline's own: `sightline_adaptive` (about `targetPerSecond` new traces a second),
   * `sightline_rules` (`rules`), `sightline_error_biased` (keeps traces whose start attributes
   * point at trouble, the rest at `ratio`). See docs/sampling.md.
   */
  name?: SamplerName;
  /**
   * `OTEL_TRACES_SAMPLER_ARG`: the ratio, in [0, 1], for the `*traceidratio` samplers, for new
   * traces no rule matches (`sightline_rules`) and for ordinary traces (`sightline_error_biased`).
   * Default 1.
   */
  ratio?: number;
  /** `OTEL_TRACES_SAMPLER_ARG` with `sightline_adaptive`: new traces a second to keep, >= 0. Default 100. */
  targetPerSecond?: number;
  /** `SIGHTLINE_SAMPLING_RULES` (a JSON array): the ordered rules of `sightline_rules`. */
  rules?: SamplingRule[];
}

/** `SIGHTLINE_TAIL_*`: tail sampling, deciding per trace after it ended (see docs/sampling.md). */
export interface TailOptions {
  /** `SIGHTLINE_TAIL_SAMPLING`. Default false. */
  enabled?: boolean;
  /** `SIGHTLINE_TAIL_DECISION_WAIT`: wait after the local root ends for late children, ms. Default 1000. */
  decisionWaitMillis?: number;
  /** `SIGHTLINE_TAIL_LATENCY_THRESHOLD`: traces whose root takes longer are kept, ms. Default 1000. */
  latencyThresholdMillis?: number;
  /** `SIGHTLINE_TAIL_FALLBACK_RATIO`: share of the other traces kept, consistent by trace id. Default 0.1. */
  fallbackRatio?: number;
  /** `SIGHTLINE_TAIL_MAX_TRACES`. Default 10000. */
  maxTraces?: number;
  /** `SIGHTLINE_TAIL_MAX_SPANS`: spans buffered over all traces. Default 20000. */
  maxSpans?: number;
  /** `SIGHTLINE_TAIL_MAX_SPANS_PER_TRACE`: a longer trace is decided in parts. Default 1000. */
  maxSpansPerTrace?: number;
  /** `SIGHTLINE_TAIL_DECISION_CACHE_SIZE`: decisions remembered for late spans. Default 50000. */
  decisionCacheSize?: number;
  /** `SIGHTLINE_TAIL_POLICIES`. Default `['error', 'latency', 'upstream', 'probabilistic']`. */
  policies?: TailPolicySpec[];
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
  /** Tail sampling in front of the export processors. */
  tail?: TailOptions;
  batch?: BatchOptions;
  /**
   * `SIGHTLINE_BAGGAGE_ATTRIBUTES`: baggage keys copied onto every span as `baggage.<key>` attributes.
   * Only these: baggage comes from callers and is untrusted. Default none.
   */
  baggageAttributes?: string[];
  /**
   * Send OTLP spans from a worker thread (DESIGN D2) instead of the app's thread. Default `false`
   * for `http/protobuf` (the app's thread encodes each batch anyway; sending it from there costs
   * less CPU than handing it to a worker, measured in bench/http) and `true` for `http/json` (JSON
   * is encoded in the worker) and `grpc` (not measured); env `SIGHTLINE_TRACES_EXPORT_WORKER`.
   */
  exportWorker?: boolean;
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

/** Memory telemetry (docs/memory.md): runtime gauges, leak detection, allocation attribution. */
export interface MemoryOptions {
  /** `SIGHTLINE_MEMORY=on|off`. Default off. */
  enabled?: boolean;
  /** `SIGHTLINE_MEMORY_INTERVAL`: how often to take a reading and evaluate, ms. Default 30000. */
  intervalMillis?: number;
  /** `SIGHTLINE_MEMORY_WINDOW`: the shortest trend window, ms (the others are 4x and 12x). Default 1800000. */
  windowMillis?: number;
  /** `SIGHTLINE_MEMORY_WARMUP`: readings this soon after start are ignored, ms. Default 300000. */
  warmupMillis?: number;
  /** `SIGHTLINE_MEMORY_PERSISTENCE`: consecutive evaluations to report or clear a leak. Default 3. */
  persistence?: number;
  /** `SIGHTLINE_MEMORY_SIGNIFICANCE`: Mann–Kendall significance level. Default 0.001. */
  significance?: number;
  /** `SIGHTLINE_MEMORY_MIN_GROWTH`: growth below this is never a leak, bytes/hour. Default 1048576. */
  minGrowthBytesPerHour?: number;
  /** `SIGHTLINE_MEMORY_{CRITICAL,HIGH,MEDIUM}_{HOURS,RATE}`: severity thresholds. */
  severity?: {
    criticalHoursToExhaustion?: number;
    criticalBytesPerHour?: number;
    highHoursToExhaustion?: number;
    highBytesPerHour?: number;
    mediumHoursToExhaustion?: number;
    mediumBytesPerHour?: number;
  };
  profiler?: {
    /** `SIGHTLINE_MEMORY_PROFILER=on|off`: the sampling allocation profiler. Default on. */
    enabled?: boolean;
    /** `SIGHTLINE_MEMORY_SAMPLING_INTERVAL`: mean bytes between samples. Default 524288. */
    samplingIntervalBytes?: number;
    /** `SIGHTLINE_MEMORY_TOP_N`: allocation sites exported as metrics. Default 10. */
    topN?: number;
    /** `SIGHTLINE_MEMORY_PROFILE_INTERVAL`: how often the profile is read (each read forces a full GC), ms. Default 300000. */
    collectIntervalMillis?: number;
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
  memory?: MemoryOptions;
}
