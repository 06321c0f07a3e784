import { INSTRUMENTATION_NAMES } from '../instrumentation/names.js';
import { samplingRulesProblem } from '../sampling/sampling-rule.js';
import { DEFAULT_TAIL_POLICIES, tailPolicyProblem } from '../sampling/tail-policy-spec.js';
import {
  attributeMap,
  boolean,
  httpUrl,
  integer,
  type Kind,
  keyValueMap,
  listOf,
  nameList,
  namesOf,
  nonEmptyString,
  nonNegativeNumber,
  number,
  oneOf,
  onOff,
  samplerArg,
  structured,
  tokenList,
} from './kinds.js';

/**
 * One configuration setting: where it lives in the options object, which environment variable sets
 * it, its kind and its default. This table is the single source for validation, environment parsing,
 * resolution and the configuration reference (a test checks `docs/configuration.md` against it).
 */
export interface Setting {
  /** Dotted path in `SightlineOptions`, e.g. `traces.batch.maxQueueSize`. */
  readonly path: string;
  /** The environment variable, if any. */
  readonly env?: string;
  readonly kind: Kind<unknown>;
  /** Turns a parsed environment value into the option's value (e.g. `OTEL_SDK_DISABLED` → `enabled`). */
  readonly fromEnv?: (value: never) => unknown;
  /** The default, or `undefined` when there is none (the option is then simply unset). */
  readonly defaultValue?: unknown;
  /** What the default is when it is computed, for the docs. */
  readonly defaultText?: string;
}

const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const COMPRESSIONS = ['gzip', 'none'] as const;
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'sightline_adaptive',
  'sightline_rules',
  'sightline_error_biased',
] as const;
const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none'] as const;
export const LOG_RECORD_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance', 'container'] as const;

const count = integer(0);
const positiveMillis = integer(1);

export const SIGNALS = ['traces', 'metrics', 'logs'] as const;
export type Signal = (typeof SIGNALS)[number];

function otlpSettings(prefix: string, envInfix: string): Setting[] {
  return [
    { path: `${prefix}.endpoint`, env: `OTEL_EXPORTER_OTLP_${envInfix}ENDPOINT`, kind: httpUrl },
    {
      path: `${prefix}.protocol`,
      env: `OTEL_EXPORTER_OTLP_${envInfix}PROTOCOL`,
      kind: oneOf(PROTOCOLS),
    },
    { path: `${prefix}.headers`, env: `OTEL_EXPORTER_OTLP_${envInfix}HEADERS`, kind: keyValueMap },
    {
      path: `${prefix}.timeoutMillis`,
      env: `OTEL_EXPORTER_OTLP_${envInfix}TIMEOUT`,
      kind: positiveMillis,
    },
    {
      path: `${prefix}.compression`,
      env: `OTEL_EXPORTER_OTLP_${envInfix}COMPRESSION`,
      kind: oneOf(COMPRESSIONS),
    },
  ];
}

function batchSettings(prefix: string, envPrefix: string, delay: number): Setting[] {
  return [
    {
      path: `${prefix}.scheduledDelayMillis`,
      env: `${envPrefix}_SCHEDULE_DELAY`,
      kind: integer(0),
      defaultValue: delay,
    },
    {
      path: `${prefix}.exportTimeoutMillis`,
      env: `${envPrefix}_EXPORT_TIMEOUT`,
      kind: positiveMillis,
      defaultValue: 30000,
    },
    {
      path: `${prefix}.maxQueueSize`,
      env: `${envPrefix}_MAX_QUEUE_SIZE`,
      kind: integer(1),
      defaultValue: 2048,
    },
    {
      path: `${prefix}.maxExportBatchSize`,
      env: `${envPrefix}_MAX_EXPORT_BATCH_SIZE`,
      kind: integer(1),
      defaultValue: 512,
    },
  ];
}

function tailSettings(): Setting[] {
  const tail = (key: string, env: string, kind: Kind<unknown>, defaultValue: unknown): Setting => ({
    path: `traces.tail.${key}`,
    env: `SIGHTLINE_TAIL_${env}`,
    kind,
    defaultValue,
  });
  return [
    tail('enabled', 'SAMPLING', boolean, false),
    tail('decisionWaitMillis', 'DECISION_WAIT', integer(0), 1000),
    tail('latencyThresholdMillis', 'LATENCY_THRESHOLD', integer(0), 1000),
    tail('fallbackRatio', 'FALLBACK_RATIO', number(0, 1), 0.1),
    tail('maxTraces', 'MAX_TRACES', integer(1), 10_000),
    tail('maxSpans', 'MAX_SPANS', integer(1), 20_000),
    tail('maxSpansPerTrace', 'MAX_SPANS_PER_TRACE', integer(1), 1000),
    tail('decisionCacheSize', 'DECISION_CACHE_SIZE', integer(1), 50_000),
    tail(
      'policies',
      'POLICIES',
      structured(
        'a list of tail sampling policies (names error, latency, upstream, probabilistic, or a JSON array of policy objects)',
        tailPolicyProblem,
        true,
      ),
      [...DEFAULT_TAIL_POLICIES],
    ),
  ];
}

export const SETTINGS: readonly Setting[] = [
  {
    path: 'enabled',
    env: 'OTEL_SDK_DISABLED',
    kind: boolean,
    fromEnv: (disabled: boolean) => !disabled,
    defaultValue: true,
  },
  { path: 'logLevel', env: 'OTEL_LOG_LEVEL', kind: oneOf(LOG_LEVELS), defaultValue: 'info' },
  {
    path: 'service.name',
    env: 'OTEL_SERVICE_NAME',
    kind: nonEmptyString,
    defaultText: '`unknown_service:node`',
  },
  {
    path: 'service.version',
    kind: nonEmptyString,
    defaultText: "the app's package.json `version`",
  },
  { path: 'service.namespace', kind: nonEmptyString },
  { path: 'service.instanceId', kind: nonEmptyString, defaultText: 'a random UUID per process' },
  { path: 'resource.attributes', env: 'OTEL_RESOURCE_ATTRIBUTES', kind: attributeMap },
  {
    path: 'resource.detectors',
    env: 'OTEL_NODE_RESOURCE_DETECTORS',
    kind: listOf([...DETECTORS, 'none']),
    defaultValue: [...DETECTORS],
  },
  ...otlpSettings('otlp', ''),
  {
    path: 'propagators',
    env: 'OTEL_PROPAGATORS',
    kind: listOf(PROPAGATORS),
    defaultValue: ['tracecontext', 'baggage'],
  },
  {
    path: 'attributeLimits.attributeCountLimit',
    env: 'OTEL_ATTRIBUTE_COUNT_LIMIT',
    kind: count,
    defaultValue: 128,
  },
  {
    path: 'attributeLimits.attributeValueLengthLimit',
    env: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    kind: count,
    defaultText: 'unlimited',
  },

  {
    path: 'traces.exporters',
    env: 'OTEL_TRACES_EXPORTER',
    kind: listOf(['otlp', 'console', 'zipkin', 'none']),
    defaultValue: ['otlp'],
  },
  ...otlpSettings('traces.otlp', 'TRACES_'),
  {
    path: 'traces.sampler.name',
    env: 'OTEL_TRACES_SAMPLER',
    kind: oneOf(SAMPLERS),
    defaultValue: 'parentbased_always_on',
  },
  {
    path: 'traces.sampler.ratio',
    env: 'OTEL_TRACES_SAMPLER_ARG',
    kind: samplerArg,
    defaultValue: 1,
  },
  {
    path: 'traces.sampler.targetPerSecond',
    kind: nonNegativeNumber,
    defaultValue: 100,
    defaultText: '`100`; from `OTEL_TRACES_SAMPLER_ARG` with `sightline_adaptive`',
  },
  {
    path: 'traces.sampler.rules',
    env: 'SIGHTLINE_SAMPLING_RULES',
    kind: structured(
      'a JSON array of sampling rules ({ name, kind, route, attributes, ratio, ratePerSecond })',
      samplingRulesProblem,
    ),
  },
  ...tailSettings(),
  ...batchSettings('traces.batch', 'OTEL_BSP', 5000),
  {
    path: 'traces.exportWorker',
    env: 'SIGHTLINE_TRACES_EXPORT_WORKER',
    kind: boolean,
    defaultText: '`false` for `http/protobuf`, `true` for `grpc` and `http/json`',
  },
  {
    path: 'traces.baggageAttributes',
    env: 'SIGHTLINE_BAGGAGE_ATTRIBUTES',
    kind: nameList,
    defaultValue: [],
  },
  {
    path: 'traces.limits.attributeCountLimit',
    env: 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
    kind: count,
    defaultText: '`attributeLimits.attributeCountLimit`',
  },
  {
    path: 'traces.limits.attributeValueLengthLimit',
    env: 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    kind: count,
    defaultText: '`attributeLimits.attributeValueLengthLimit`',
  },
  {
    path: 'traces.limits.eventCountLimit',
    env: 'OTEL_SPAN_EVENT_COUNT_LIMIT',
    kind: count,
    defaultValue: 128,
  },
  {
    path: 'traces.limits.linkCountLimit',
    env: 'OTEL_SPAN_LINK_COUNT_LIMIT',
    kind: count,
    defaultValue: 128,
  },
  {
    path: 'traces.limits.attributePerEventCountLimit',
    env: 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT',
    kind: count,
    defaultValue: 128,
  },
  {
    path: 'traces.limits.attributePerLinkCountLimit',
    env: 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT',
    kind: count,
    defaultValue: 128,
  },
  {
    path: 'traces.zipkin.endpoint',
    env: 'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
    kind: httpUrl,
    defaultValue: 'http://localhost:9411/api/v2/spans',
  },

  {
    path: 'metrics.exporters',
    env: 'OTEL_METRICS_EXPORTER',
    kind: listOf(['otlp', 'console', 'prometheus', 'none']),
    defaultValue: ['otlp'],
  },
  ...otlpSettings('metrics.otlp', 'METRICS_'),
  {
    path: 'metrics.exportIntervalMillis',
    env: 'OTEL_METRIC_EXPORT_INTERVAL',
    kind: positiveMillis,
    defaultValue: 60000,
  },
  {
    path: 'metrics.exportTimeoutMillis',
    env: 'OTEL_METRIC_EXPORT_TIMEOUT',
    kind: positiveMillis,
    defaultValue: 30000,
  },
  {
    path: 'metrics.temporalityPreference',
    env: 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE',
    kind: oneOf(['cumulative', 'delta', 'lowmemory']),
    defaultValue: 'cumulative',
  },
  {
    path: 'metrics.prometheus.host',
    env: 'OTEL_EXPORTER_PROMETHEUS_HOST',
    kind: nonEmptyString,
    defaultValue: '127.0.0.1',
  },
  {
    path: 'metrics.prometheus.port',
    env: 'OTEL_EXPORTER_PROMETHEUS_PORT',
    kind: integer(0, 65535),
    defaultValue: 9464,
  },
  { path: 'metrics.prometheus.token', env: 'SIGHTLINE_PROMETHEUS_TOKEN', kind: nonEmptyString },

  {
    path: 'logs.exporters',
    env: 'OTEL_LOGS_EXPORTER',
    kind: listOf(['otlp', 'console', 'none']),
    defaultValue: ['otlp'],
  },
  ...otlpSettings('logs.otlp', 'LOGS_'),
  ...batchSettings('logs.batch', 'OTEL_BLRP', 1000),
  {
    path: 'logs.limits.attributeCountLimit',
    env: 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT',
    kind: count,
    defaultText: '`attributeLimits.attributeCountLimit`',
  },
  {
    path: 'logs.limits.attributeValueLengthLimit',
    env: 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    kind: count,
    defaultText: '`attributeLimits.attributeValueLengthLimit`',
  },
  {
    path: 'logs.instrumentation.correlation',
    env: 'SIGHTLINE_LOG_CORRELATION',
    kind: boolean,
    defaultValue: true,
  },
  {
    path: 'logs.instrumentation.sending',
    env: 'SIGHTLINE_LOG_SENDING',
    kind: boolean,
    defaultValue: true,
  },
  {
    path: 'logs.instrumentation.sendLevel',
    env: 'SIGHTLINE_LOG_SEND_LEVEL',
    kind: oneOf(LOG_RECORD_LEVELS),
    defaultValue: 'trace',
  },
  {
    path: 'logs.instrumentation.spanEvents',
    env: 'SIGHTLINE_LOG_SPAN_EVENTS',
    kind: boolean,
    defaultValue: false,
  },

  {
    path: 'instrumentations.enabled',
    env: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    kind: namesOf(INSTRUMENTATION_NAMES),
    defaultText: 'all of them',
  },
  {
    path: 'instrumentations.disabled',
    env: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
    kind: namesOf(INSTRUMENTATION_NAMES),
    defaultValue: [],
  },
  {
    path: 'instrumentations.http.ignorePaths',
    env: 'SIGHTLINE_HTTP_IGNORE_PATHS',
    kind: nameList,
    defaultText:
      '`/health`, `/healthz`, `/ready`, `/readyz`, `/live`, `/livez`, `/metrics` and the OTLP paths `/v1/traces`, `/v1/metrics`, `/v1/logs`',
  },
  {
    path: 'instrumentations.http.requestHeaders',
    env: 'SIGHTLINE_HTTP_REQUEST_HEADERS',
    kind: tokenList,
    defaultValue: [],
  },
  {
    path: 'instrumentations.http.responseHeaders',
    env: 'SIGHTLINE_HTTP_RESPONSE_HEADERS',
    kind: tokenList,
    defaultValue: [],
  },
  {
    path: 'instrumentations.http.traceResponse',
    env: 'SIGHTLINE_HTTP_TRACE_RESPONSE',
    kind: boolean,
    defaultValue: false,
  },
  {
    path: 'instrumentations.http.knownMethods',
    env: 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS',
    kind: tokenList,
    defaultText: 'the RFC 9110 methods, `PATCH` and `QUERY`',
  },
  {
    path: 'instrumentations.db.slowQueryThresholdMillis',
    env: 'SIGHTLINE_DB_SLOW_QUERY_THRESHOLD',
    kind: integer(0),
    defaultValue: 1000,
  },
  {
    path: 'instrumentations.redis.rawKeys',
    env: 'SIGHTLINE_REDIS_RAW_KEYS',
    kind: boolean,
    defaultValue: false,
  },

  {
    path: 'shutdown.timeoutMillis',
    env: 'SIGHTLINE_SHUTDOWN_TIMEOUT',
    kind: positiveMillis,
    defaultValue: 5000,
  },
  {
    path: 'shutdown.handleSignals',
    env: 'SIGHTLINE_HANDLE_SIGNALS',
    kind: boolean,
    defaultValue: true,
  },

  { path: 'memory.enabled', env: 'SIGHTLINE_MEMORY', kind: onOff, defaultValue: false },
  {
    path: 'memory.intervalMillis',
    env: 'SIGHTLINE_MEMORY_INTERVAL',
    kind: integer(10),
    defaultValue: 30000,
  },
  {
    path: 'memory.windowMillis',
    env: 'SIGHTLINE_MEMORY_WINDOW',
    kind: integer(1000),
    defaultValue: 1800000,
  },
  {
    path: 'memory.warmupMillis',
    env: 'SIGHTLINE_MEMORY_WARMUP',
    kind: integer(0),
    defaultValue: 300000,
  },
  {
    path: 'memory.persistence',
    env: 'SIGHTLINE_MEMORY_PERSISTENCE',
    kind: integer(1, 100),
    defaultValue: 3,
  },
  {
    path: 'memory.significance',
    env: 'SIGHTLINE_MEMORY_SIGNIFICANCE',
    kind: number(0, 0.5),
    defaultValue: 0.001,
  },
  {
    path: 'memory.minGrowthBytesPerHour',
    env: 'SIGHTLINE_MEMORY_MIN_GROWTH',
    kind: integer(0),
    defaultValue: 1048576,
  },
  ...severitySettings(),
  {
    path: 'memory.profiler.enabled',
    env: 'SIGHTLINE_MEMORY_PROFILER',
    kind: onOff,
    defaultValue: true,
  },
  {
    path: 'memory.profiler.samplingIntervalBytes',
    env: 'SIGHTLINE_MEMORY_SAMPLING_INTERVAL',
    kind: integer(1024),
    defaultValue: 524288,
  },
  {
    path: 'memory.profiler.collectIntervalMillis',
    env: 'SIGHTLINE_MEMORY_PROFILE_INTERVAL',
    kind: integer(1000),
    defaultValue: 300000,
  },
  {
    path: 'memory.profiler.topN',
    env: 'SIGHTLINE_MEMORY_TOP_N',
    kind: integer(1, 1000),
    defaultValue: 10,
  },
];

/** Leak severity thresholds (docs/memory.md): hours to exhaustion and growth rate per level. */
function severitySettings(): Setting[] {
  const levels = [
    ['critical', 1, 536870912],
    ['high', 6, 134217728],
    ['medium', 24, 33554432],
  ] as const;
  return levels.flatMap(([level, hours, rate]) => [
    {
      path: `memory.severity.${level}HoursToExhaustion`,
      env: `SIGHTLINE_MEMORY_${level.toUpperCase()}_HOURS`,
      kind: number(0, 1e6),
      defaultValue: hours,
    },
    {
      path: `memory.severity.${level}BytesPerHour`,
      env: `SIGHTLINE_MEMORY_${level.toUpperCase()}_RATE`,
      kind: integer(0),
      defaultValue: rate,
    },
  ]);
}

/** Settings by path. */
export const SETTINGS_BY_PATH: ReadonlyMap<string, Setting> = new Map(
  SETTINGS.map((s) => [s.path, s]),
);

/** The OTLP defaults that depend on the signal and protocol (DESIGN D10: the viewer listens there). */
export const OTLP_DEFAULTS = {
  httpEndpoint: 'http://localhost:4318',
  grpcEndpoint: 'http://localhost:4317',
  protocol: 'http/protobuf',
  timeoutMillis: 10000,
  compression: 'none',
} as const;
