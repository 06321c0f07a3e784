import { invalidOption } from '../errors.js';
import { isLoopbackHost } from '../metrics/loopback.js';
import type { SamplingRule } from '../sampling/sampling-rule.js';
import { layerFromConfigFile } from './config-file.js';
import { type Layer, layerFromEnv, layerFromOptions, type Warn } from './layers.js';
import type {
  AttributeValue,
  BatchOptions,
  Compression,
  LogExporterName,
  LogInstrumentationOptions,
  LogLevel,
  MemoryOptions,
  MetricExporterName,
  OtlpProtocol,
  PropagatorName,
  ResourceDetectorName,
  SamplerName,
  SightlineOptions,
  TailOptions,
  TemporalityPreference,
  TraceExporterName,
} from './options.js';
import { OTLP_DEFAULTS, SETTINGS_BY_PATH, type Signal } from './settings.js';

/** OTLP settings of one signal after precedence and defaults. */
export interface ResolvedOtlp {
  /** The full URL the exporter posts to (HTTP) or connects to (gRPC). */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  timeoutMillis: number;
  compression: Compression;
}

export interface ResolvedLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
}

/** The effective configuration: every value decided, nothing optional but what has no default. */
export interface ResolvedConfig {
  enabled: boolean;
  logLevel: LogLevel;
  service: { name?: string; version?: string; namespace?: string; instanceId?: string };
  resource: { attributes: Record<string, AttributeValue>; detectors: ResourceDetectorName[] };
  propagators: PropagatorName[];
  traces: {
    exporters: TraceExporterName[];
    otlp: ResolvedOtlp;
    sampler: ResolvedSampler;
    tail: Required<TailOptions>;
    batch: Required<BatchOptions>;
    baggageAttributes: string[];
    exportWorker: boolean;
    limits: ResolvedLimits & {
      eventCountLimit: number;
      linkCountLimit: number;
      attributePerEventCountLimit: number;
      attributePerLinkCountLimit: number;
    };
    zipkin: { endpoint: string };
  };
  metrics: {
    exporters: MetricExporterName[];
    otlp: ResolvedOtlp;
    exportIntervalMillis: number;
    exportTimeoutMillis: number;
    temporalityPreference: TemporalityPreference;
    prometheus: { host: string; port: number; token?: string };
  };
  logs: {
    exporters: LogExporterName[];
    otlp: ResolvedOtlp;
    batch: Required<BatchOptions>;
    limits: ResolvedLimits;
    instrumentation: Required<LogInstrumentationOptions>;
  };
  instrumentations: ResolvedInstrumentations;
  shutdown: { timeoutMillis: number; handleSignals: boolean };
  memory: Required<Omit<MemoryOptions, 'severity' | 'profiler'>> & {
    severity: Required<NonNullable<MemoryOptions['severity']>>;
    profiler: Required<NonNullable<MemoryOptions['profiler']>>;
  };
}

/** The instrumentation settings; `enabled` undefined means all. Unknown names come from the environment only. */
export interface ResolvedInstrumentations {
  enabled?: string[];
  disabled: string[];
  http: {
    ignorePaths?: string[];
    requestHeaders: string[];
    responseHeaders: string[];
    traceResponse: boolean;
    knownMethods?: string[];
  };
  db: { slowQueryThresholdMillis: number };
  redis: { rawKeys: boolean };
}

/** The head sampler: its name and the arguments the named sampler uses. */
export interface ResolvedSampler {
  name: SamplerName;
  ratio: number;
  targetPerSecond: number;
  rules: SamplingRule[];
}

export interface ResolveInput {
  options?: SightlineOptions | undefined;
  env?: NodeJS.ProcessEnv;
  warn?: Warn;
}

/**
 * Applies the precedence code options > environment > `SIGHTLINE_CONFIG` file > defaults (DESIGN D9).
 * Within one source, a signal-specific setting beats the general one (`traces.otlp.endpoint` over
 * `otlp.endpoint`, `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT` over `OTEL_ATTRIBUTE_COUNT_LIMIT`).
 * Throws for invalid code options or a broken config file; warns for invalid environment values.
 */
export function resolveConfig(input: ResolveInput = {}): ResolvedConfig {
  const env = input.env ?? process.env;
  const warn = input.warn ?? (() => {});
  const code = layerFromOptions(input.options);
  const fromEnv = layerFromEnv(env, warn);
  const file = layerFromConfigFile(env.SIGHTLINE_CONFIG);
  const layers: Layer[] = [code, fromEnv, file];

  /** The first value found for any of `paths` (most specific first), layer by layer, else the default. */
  function get<T>(...paths: string[]): T {
    for (const layer of layers) {
      for (const path of paths) {
        if (layer.has(path)) return layer.get(path) as T;
      }
    }
    for (const path of paths) {
      const fallback = SETTINGS_BY_PATH.get(path)?.defaultValue;
      if (fallback !== undefined) return structuredClone(fallback) as T;
    }
    return undefined as T;
  }

  function otlp(signal: Signal): ResolvedOtlp {
    const field = <T>(name: string): T | undefined =>
      get<T | undefined>(`${signal}.otlp.${name}`, `otlp.${name}`);
    const protocol = field<OtlpProtocol>('protocol') ?? OTLP_DEFAULTS.protocol;
    return {
      url: otlpUrl(signal, protocol, layers),
      protocol,
      headers: field<Record<string, string>>('headers') ?? {},
      timeoutMillis: field<number>('timeoutMillis') ?? OTLP_DEFAULTS.timeoutMillis,
      compression: field<Compression>('compression') ?? OTLP_DEFAULTS.compression,
    };
  }

  const limit = (specific: string, general: string): number =>
    get<number | undefined>(specific, general) ?? Number.POSITIVE_INFINITY;
  const batch = (signal: 'traces' | 'logs'): Required<BatchOptions> => {
    const result = {
      scheduledDelayMillis: get<number>(`${signal}.batch.scheduledDelayMillis`),
      exportTimeoutMillis: get<number>(`${signal}.batch.exportTimeoutMillis`),
      maxQueueSize: get<number>(`${signal}.batch.maxQueueSize`),
      maxExportBatchSize: get<number>(`${signal}.batch.maxExportBatchSize`),
    };
    if (result.maxExportBatchSize > result.maxQueueSize) {
      // Only a batch size someone chose is worth a warning; the default simply follows the queue.
      if (layers.some((layer) => layer.has(`${signal}.batch.maxExportBatchSize`)))
        warn(
          `${signal}.batch.maxExportBatchSize (${result.maxExportBatchSize}) exceeds maxQueueSize (${result.maxQueueSize}); using ${result.maxQueueSize}`,
        );
      result.maxExportBatchSize = result.maxQueueSize;
    }
    return result;
  };

  const detectors = get<string[]>('resource.detectors');
  // Resource attributes merge across sources (file < environment < code) rather than replace.
  // `OTEL_RESOURCE_ATTRIBUTES` is what the `env` detector contributes, so it obeys that switch.
  const attributeLayers = detectors.includes('env') ? [file, fromEnv, code] : [file, code];
  const attributes = Object.assign(
    {},
    ...attributeLayers.map((l) => l.get('resource.attributes') ?? {}),
  ) as Record<string, AttributeValue>;
  const metricExporters = noneWins(get<MetricExporterName[]>('metrics.exporters'));
  const prometheusHost = get<string>('metrics.prometheus.host');
  const prometheusToken = get<string | undefined>('metrics.prometheus.token');
  // Only a Prometheus endpoint that will actually listen needs the loopback-or-token check.
  const prometheus = metricExporters.includes('prometheus')
    ? prometheusBinding(
        prometheusHost,
        prometheusToken,
        code.has('metrics.prometheus.host') || file.has('metrics.prometheus.host'),
        warn,
      )
    : {
        host: prometheusHost,
        ...(prometheusToken === undefined ? {} : { token: prometheusToken }),
      };
  const metricsInterval = get<number>('metrics.exportIntervalMillis');
  let metricsTimeout = get<number>('metrics.exportTimeoutMillis');
  if (metricsTimeout > metricsInterval) metricsTimeout = metricsInterval;

  const tracesOtlp = otlp('traces');
  return {
    enabled: get('enabled'),
    logLevel: get('logLevel'),
    service: dropUndefined({
      name: get<string | undefined>('service.name'),
      version: get<string | undefined>('service.version'),
      namespace: get<string | undefined>('service.namespace'),
      instanceId: get<string | undefined>('service.instanceId'),
    }),
    resource: {
      attributes,
      detectors: noneWins(detectors) as ResourceDetectorName[],
    },
    propagators: noneWins(get<PropagatorName[]>('propagators')),
    traces: {
      exporters: noneWins(get<TraceExporterName[]>('traces.exporters')),
      otlp: tracesOtlp,
      sampler: resolveSampler(layers, get, warn),
      tail: {
        enabled: get('traces.tail.enabled'),
        decisionWaitMillis: get('traces.tail.decisionWaitMillis'),
        latencyThresholdMillis: get('traces.tail.latencyThresholdMillis'),
        fallbackRatio: get('traces.tail.fallbackRatio'),
        maxTraces: get('traces.tail.maxTraces'),
        maxSpans: get('traces.tail.maxSpans'),
        maxSpansPerTrace: get('traces.tail.maxSpansPerTrace'),
        decisionCacheSize: get('traces.tail.decisionCacheSize'),
        policies: get('traces.tail.policies'),
      },
      batch: batch('traces'),
      baggageAttributes: get('traces.baggageAttributes'),
      // Measured (bench/http): for http/protobuf the app's thread encodes anyway, and sending from
      // it cost less CPU than waking a worker for each batch. JSON is encoded in the worker; gRPC
      // keeps it too, not having been measured.
      exportWorker:
        get<boolean | undefined>('traces.exportWorker') ?? tracesOtlp.protocol !== 'http/protobuf',
      limits: {
        attributeCountLimit: limit(
          'traces.limits.attributeCountLimit',
          'attributeLimits.attributeCountLimit',
        ),
        attributeValueLengthLimit: limit(
          'traces.limits.attributeValueLengthLimit',
          'attributeLimits.attributeValueLengthLimit',
        ),
        eventCountLimit: get('traces.limits.eventCountLimit'),
        linkCountLimit: get('traces.limits.linkCountLimit'),
        attributePerEventCountLimit: get('traces.limits.attributePerEventCountLimit'),
        attributePerLinkCountLimit: get('traces.limits.attributePerLinkCountLimit'),
      },
      zipkin: { endpoint: get('traces.zipkin.endpoint') },
    },
    metrics: {
      exporters: metricExporters,
      otlp: otlp('metrics'),
      exportIntervalMillis: metricsInterval,
      exportTimeoutMillis: metricsTimeout,
      temporalityPreference: get('metrics.temporalityPreference'),
      prometheus: { ...prometheus, port: get('metrics.prometheus.port') },
    },
    logs: {
      exporters: noneWins(get<LogExporterName[]>('logs.exporters')),
      otlp: otlp('logs'),
      batch: batch('logs'),
      limits: {
        attributeCountLimit: limit(
          'logs.limits.attributeCountLimit',
          'attributeLimits.attributeCountLimit',
        ),
        attributeValueLengthLimit: limit(
          'logs.limits.attributeValueLengthLimit',
          'attributeLimits.attributeValueLengthLimit',
        ),
      },
      instrumentation: {
        correlation: get('logs.instrumentation.correlation'),
        sending: get('logs.instrumentation.sending'),
        sendLevel: get('logs.instrumentation.sendLevel'),
        spanEvents: get('logs.instrumentation.spanEvents'),
      },
    },
    instrumentations: {
      ...dropUndefined({ enabled: get<string[] | undefined>('instrumentations.enabled') }),
      disabled: get('instrumentations.disabled'),
      http: {
        ...dropUndefined({
          ignorePaths: get<string[] | undefined>('instrumentations.http.ignorePaths'),
          knownMethods: get<string[] | undefined>('instrumentations.http.knownMethods'),
        }),
        requestHeaders: get('instrumentations.http.requestHeaders'),
        responseHeaders: get('instrumentations.http.responseHeaders'),
        traceResponse: get('instrumentations.http.traceResponse'),
      },
      db: { slowQueryThresholdMillis: get('instrumentations.db.slowQueryThresholdMillis') },
      redis: { rawKeys: get('instrumentations.redis.rawKeys') },
    },
    shutdown: {
      timeoutMillis: get('shutdown.timeoutMillis'),
      handleSignals: get('shutdown.handleSignals'),
    },
    memory: {
      enabled: get('memory.enabled'),
      intervalMillis: get('memory.intervalMillis'),
      windowMillis: get('memory.windowMillis'),
      warmupMillis: get('memory.warmupMillis'),
      persistence: get('memory.persistence'),
      significance: get('memory.significance'),
      minGrowthBytesPerHour: get('memory.minGrowthBytesPerHour'),
      severity: {
        criticalHoursToExhaustion: get('memory.severity.criticalHoursToExhaustion'),
        criticalBytesPerHour: get('memory.severity.criticalBytesPerHour'),
        highHoursToExhaustion: get('memory.severity.highHoursToExhaustion'),
        highBytesPerHour: get('memory.severity.highBytesPerHour'),
        mediumHoursToExhaustion: get('memory.severity.mediumHoursToExhaustion'),
        mediumBytesPerHour: get('memory.severity.mediumBytesPerHour'),
      },
      profiler: {
        enabled: get('memory.profiler.enabled'),
        samplingIntervalBytes: get('memory.profiler.samplingIntervalBytes'),
        topN: get('memory.profiler.topN'),
        collectIntervalMillis: get('memory.profiler.collectIntervalMillis'),
      },
    },
  };
}

/**
 * The head sampler. `OTEL_TRACES_SAMPLER_ARG` means a rate for `sightline_adaptive` and a ratio for
 * the others, so its range is checked here, against the sampler it ends up with. Rules without a
 * sampler name select `sightline_rules`.
 */
function resolveSampler(
  layers: Layer[],
  get: <T>(...paths: string[]) => T,
  warn: Warn,
): ResolvedSampler {
  const [code, fromEnv, file] = layers as [Layer, Layer, Layer];
  const named = layers.some((l) => l.has('traces.sampler.name'));
  const rules = get<SamplingRule[] | undefined>('traces.sampler.rules');
  const name: SamplerName =
    !named && rules !== undefined ? 'sightline_rules' : get('traces.sampler.name');
  let ratio = get<number>('traces.sampler.ratio');
  let targetPerSecond = get<number>('traces.sampler.targetPerSecond');
  const envArg = fromEnv.get('traces.sampler.ratio') as number | undefined;
  if (envArg !== undefined && !code.has('traces.sampler.ratio')) {
    const withoutEnv = (file.get('traces.sampler.ratio') as number | undefined) ?? 1;
    if (name === 'sightline_adaptive') {
      if (!code.has('traces.sampler.targetPerSecond')) targetPerSecond = envArg;
      ratio = withoutEnv;
    } else if (envArg > 1) {
      warn(
        `invalid value ${JSON.stringify(String(envArg))} for OTEL_TRACES_SAMPLER_ARG: expected a number from 0 to 1 (a ratio for ${name}); ignoring it`,
      );
      ratio = withoutEnv;
    }
  }
  return { name, ratio, targetPerSecond, rules: rules ?? [] };
}

/**
 * The OTLP URL of a signal. A signal-specific endpoint is used as given; a shared one is a base URL
 * to which HTTP appends `/v1/<signal>` (the specification's rule), while gRPC uses it as is.
 * The specific endpoint wins only within the same source, so code's shared endpoint beats the
 * environment's specific one.
 */
function otlpUrl(signal: Signal, protocol: OtlpProtocol, layers: Layer[]): string {
  for (const layer of layers) {
    const own = layer.get(`${signal}.otlp.endpoint`) as string | undefined;
    if (own !== undefined) return own;
    const base = layer.get('otlp.endpoint') as string | undefined;
    if (base !== undefined) return withSignalPath(base, signal, protocol);
  }
  return withSignalPath(
    protocol === 'grpc' ? OTLP_DEFAULTS.grpcEndpoint : OTLP_DEFAULTS.httpEndpoint,
    signal,
    protocol,
  );
}

/**
 * Security by default: the Prometheus endpoint binds loopback, and any other address needs a token.
 * A non-loopback host from code or the config file without a token is a setup error; from the
 * environment it warns and binds 127.0.0.1 instead.
 */
function prometheusBinding(
  host: string,
  token: string | undefined,
  hostFromOptions: boolean,
  warn: Warn,
): { host: string; token?: string } {
  if (token !== undefined) return { host, token };
  if (isLoopbackHost(host)) return { host };
  if (hostFromOptions)
    invalidOption(
      'metrics.prometheus.host',
      host,
      'a loopback address unless metrics.prometheus.token is set',
    );
  warn(
    `OTEL_EXPORTER_PROMETHEUS_HOST=${JSON.stringify(host)} is not a loopback address and SIGHTLINE_PROMETHEUS_TOKEN is not set; binding 127.0.0.1`,
  );
  return { host: '127.0.0.1' };
}

function withSignalPath(base: string, signal: Signal, protocol: OtlpProtocol): string {
  if (protocol === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/** In every list setting `none` wins, from code and file as from the environment; duplicates go. */
function noneWins<T extends string>(list: readonly (T | 'none')[]): Exclude<T, 'none'>[] {
  return list.includes('none') ? [] : ([...new Set(list)] as Exclude<T, 'none'>[]);
}

function dropUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
