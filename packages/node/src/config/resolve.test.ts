import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SightlineError } from '../errors.js';
import type { SightlineOptions } from './options.js';
import { type ResolvedConfig, resolveConfig } from './resolve.js';
import { SETTINGS } from './settings.js';

/** Resolves with the given environment only, collecting warnings. */
function fromEnv(
  env: Record<string, string>,
  options?: SightlineOptions,
): { config: ResolvedConfig; warnings: string[] } {
  const warnings: string[] = [];
  const config = resolveConfig({ env, options, warn: (m) => warnings.push(m) });
  return { config, warnings };
}

function at(config: ResolvedConfig, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config);
}

/**
 * For every environment variable: a valid value with where it lands in the resolved config, and an
 * invalid one. A new setting without an entry here fails the coverage test below.
 */
const CASES: Record<string, { valid: string; path: string; expected: unknown; invalid?: string }> =
  {
    OTEL_SDK_DISABLED: { valid: 'TRUE', path: 'enabled', expected: false, invalid: 'yes' },
    OTEL_LOG_LEVEL: { valid: 'DEBUG', path: 'logLevel', expected: 'debug', invalid: 'loud' },
    OTEL_SERVICE_NAME: { valid: 'checkout', path: 'service.name', expected: 'checkout' },
    OTEL_RESOURCE_ATTRIBUTES: {
      valid: 'deployment.environment.name=prod,team=a%2Cb',
      path: 'resource.attributes',
      expected: { 'deployment.environment.name': 'prod', team: 'a,b' },
      invalid: 'novalue,x=1',
    },
    OTEL_NODE_RESOURCE_DETECTORS: {
      valid: 'host,os',
      path: 'resource.detectors',
      expected: ['host', 'os'],
      invalid: 'host,gpu',
    },
    OTEL_EXPORTER_OTLP_ENDPOINT: {
      valid: 'http://collector:4318/',
      path: 'traces.otlp.url',
      expected: 'http://collector:4318/v1/traces',
      invalid: 'collector:4318',
    },
    OTEL_EXPORTER_OTLP_PROTOCOL: {
      valid: 'http/json',
      path: 'logs.otlp.protocol',
      expected: 'http/json',
      invalid: 'http/xml',
    },
    OTEL_EXPORTER_OTLP_HEADERS: {
      valid: 'api-key=s%20ecret,x=1',
      path: 'metrics.otlp.headers',
      expected: { 'api-key': 's ecret', x: '1' },
      invalid: '=nokey',
    },
    OTEL_EXPORTER_OTLP_TIMEOUT: {
      valid: '2500',
      path: 'traces.otlp.timeoutMillis',
      expected: 2500,
      invalid: '-1',
    },
    OTEL_EXPORTER_OTLP_COMPRESSION: {
      valid: 'gzip',
      path: 'logs.otlp.compression',
      expected: 'gzip',
      invalid: 'brotli',
    },
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
      valid: 'https://t.example/x',
      path: 'traces.otlp.url',
      expected: 'https://t.example/x',
      invalid: 'ftp://t',
    },
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: {
      valid: 'grpc',
      path: 'traces.otlp.protocol',
      expected: 'grpc',
      invalid: 'udp',
    },
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: {
      valid: 'a=1',
      path: 'traces.otlp.headers',
      expected: { a: '1' },
      invalid: 'a',
    },
    OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: {
      valid: '100',
      path: 'traces.otlp.timeoutMillis',
      expected: 100,
      invalid: '1.5',
    },
    OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: {
      valid: 'none',
      path: 'traces.otlp.compression',
      expected: 'none',
      invalid: 'zip',
    },
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: {
      valid: 'http://m:1/m',
      path: 'metrics.otlp.url',
      expected: 'http://m:1/m',
      invalid: 'nope',
    },
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: {
      valid: 'grpc',
      path: 'metrics.otlp.protocol',
      expected: 'grpc',
      invalid: 'udp',
    },
    OTEL_EXPORTER_OTLP_METRICS_HEADERS: {
      valid: 'b=2',
      path: 'metrics.otlp.headers',
      expected: { b: '2' },
      invalid: 'b',
    },
    OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: {
      valid: '200',
      path: 'metrics.otlp.timeoutMillis',
      expected: 200,
      invalid: 'ten',
    },
    OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: {
      valid: 'gzip',
      path: 'metrics.otlp.compression',
      expected: 'gzip',
      invalid: 'lz4',
    },
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: {
      valid: 'http://l:2/l',
      path: 'logs.otlp.url',
      expected: 'http://l:2/l',
      invalid: '/relative',
    },
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: {
      valid: 'http/protobuf',
      path: 'logs.otlp.protocol',
      expected: 'http/protobuf',
      invalid: 'grpc2',
    },
    OTEL_EXPORTER_OTLP_LOGS_HEADERS: {
      valid: 'c=3',
      path: 'logs.otlp.headers',
      expected: { c: '3' },
      invalid: 'c=%E0%A4%A',
    },
    OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: {
      valid: '300',
      path: 'logs.otlp.timeoutMillis',
      expected: 300,
      invalid: '0',
    },
    OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: {
      valid: 'gzip',
      path: 'logs.otlp.compression',
      expected: 'gzip',
      invalid: 'deflate',
    },
    OTEL_PROPAGATORS: {
      valid: 'b3multi,jaeger',
      path: 'propagators',
      expected: ['b3multi', 'jaeger'],
      invalid: 'xray',
    },
    OTEL_ATTRIBUTE_COUNT_LIMIT: {
      valid: '10',
      path: 'traces.limits.attributeCountLimit',
      expected: 10,
      invalid: 'many',
    },
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: {
      valid: '64',
      path: 'logs.limits.attributeValueLengthLimit',
      expected: 64,
      invalid: '-5',
    },
    OTEL_TRACES_EXPORTER: {
      valid: 'console,otlp',
      path: 'traces.exporters',
      expected: ['console', 'otlp'],
      invalid: 'jaeger',
    },
    OTEL_TRACES_SAMPLER: {
      valid: 'traceidratio',
      path: 'traces.sampler.name',
      expected: 'traceidratio',
      invalid: 'jaeger_remote',
    },
    OTEL_TRACES_SAMPLER_ARG: {
      valid: '0.25',
      path: 'traces.sampler.ratio',
      expected: 0.25,
      invalid: '1.5',
    },
    SIGHTLINE_SAMPLING_RULES: {
      valid: '[{"name":"GET /health","ratio":0},{"kind":"server","ratePerSecond":5}]',
      path: 'traces.sampler.rules',
      expected: [
        { name: 'GET /health', ratio: 0 },
        { kind: 'server', ratePerSecond: 5 },
      ],
      invalid: '[{"name":"x","ratio":2}]',
    },
    SIGHTLINE_TAIL_SAMPLING: {
      valid: 'true',
      path: 'traces.tail.enabled',
      expected: true,
      invalid: 'on',
    },
    SIGHTLINE_TAIL_DECISION_WAIT: {
      valid: '2000',
      path: 'traces.tail.decisionWaitMillis',
      expected: 2000,
      invalid: '-1',
    },
    SIGHTLINE_TAIL_LATENCY_THRESHOLD: {
      valid: '250',
      path: 'traces.tail.latencyThresholdMillis',
      expected: 250,
      invalid: 'slow',
    },
    SIGHTLINE_TAIL_FALLBACK_RATIO: {
      valid: '0.05',
      path: 'traces.tail.fallbackRatio',
      expected: 0.05,
      invalid: '1.5',
    },
    SIGHTLINE_TAIL_MAX_TRACES: {
      valid: '500',
      path: 'traces.tail.maxTraces',
      expected: 500,
      invalid: '0',
    },
    SIGHTLINE_TAIL_MAX_SPANS: {
      valid: '5000',
      path: 'traces.tail.maxSpans',
      expected: 5000,
      invalid: '0',
    },
    SIGHTLINE_TAIL_MAX_SPANS_PER_TRACE: {
      valid: '100',
      path: 'traces.tail.maxSpansPerTrace',
      expected: 100,
      invalid: 'x',
    },
    SIGHTLINE_TAIL_DECISION_CACHE_SIZE: {
      valid: '1000',
      path: 'traces.tail.decisionCacheSize',
      expected: 1000,
      invalid: '-3',
    },
    SIGHTLINE_TAIL_POLICIES: {
      valid: 'error, probabilistic',
      path: 'traces.tail.policies',
      expected: ['error', 'probabilistic'],
      invalid: 'error,slowness',
    },
    SIGHTLINE_BAGGAGE_ATTRIBUTES: {
      valid: 'tenant, user.id,tenant',
      path: 'traces.baggageAttributes',
      expected: ['tenant', 'user.id'],
      invalid: ' , ',
    },
    OTEL_BSP_SCHEDULE_DELAY: {
      valid: '100',
      path: 'traces.batch.scheduledDelayMillis',
      expected: 100,
      invalid: 'soon',
    },
    OTEL_BSP_EXPORT_TIMEOUT: {
      valid: '1000',
      path: 'traces.batch.exportTimeoutMillis',
      expected: 1000,
      invalid: '0',
    },
    OTEL_BSP_MAX_QUEUE_SIZE: {
      valid: '4096',
      path: 'traces.batch.maxQueueSize',
      expected: 4096,
      invalid: '0',
    },
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: {
      valid: '128',
      path: 'traces.batch.maxExportBatchSize',
      expected: 128,
      invalid: '-1',
    },
    OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: {
      valid: '5',
      path: 'traces.limits.attributeCountLimit',
      expected: 5,
      invalid: 'x',
    },
    OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: {
      valid: '7',
      path: 'traces.limits.attributeValueLengthLimit',
      expected: 7,
      invalid: 'x',
    },
    OTEL_SPAN_EVENT_COUNT_LIMIT: {
      valid: '8',
      path: 'traces.limits.eventCountLimit',
      expected: 8,
      invalid: 'x',
    },
    OTEL_SPAN_LINK_COUNT_LIMIT: {
      valid: '9',
      path: 'traces.limits.linkCountLimit',
      expected: 9,
      invalid: 'x',
    },
    OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: {
      valid: '11',
      path: 'traces.limits.attributePerEventCountLimit',
      expected: 11,
      invalid: 'x',
    },
    OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: {
      valid: '12',
      path: 'traces.limits.attributePerLinkCountLimit',
      expected: 12,
      invalid: 'x',
    },
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: {
      valid: 'http://zipkin:9411/api/v2/spans',
      path: 'traces.zipkin.endpoint',
      expected: 'http://zipkin:9411/api/v2/spans',
      invalid: 'zipkin',
    },
    OTEL_METRICS_EXPORTER: {
      valid: 'prometheus',
      path: 'metrics.exporters',
      expected: ['prometheus'],
      invalid: 'statsd',
    },
    OTEL_METRIC_EXPORT_INTERVAL: {
      valid: '1000',
      path: 'metrics.exportIntervalMillis',
      expected: 1000,
      invalid: '0',
    },
    OTEL_METRIC_EXPORT_TIMEOUT: {
      valid: '500',
      path: 'metrics.exportTimeoutMillis',
      expected: 500,
      invalid: 'x',
    },
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: {
      valid: 'Delta',
      path: 'metrics.temporalityPreference',
      expected: 'delta',
      invalid: 'gauge',
    },
    OTEL_EXPORTER_PROMETHEUS_HOST: {
      valid: '127.0.0.2',
      path: 'metrics.prometheus.host',
      expected: '127.0.0.2',
    },
    OTEL_EXPORTER_PROMETHEUS_PORT: {
      valid: '9999',
      path: 'metrics.prometheus.port',
      expected: 9999,
      invalid: '70000',
    },
    SIGHTLINE_PROMETHEUS_TOKEN: { valid: 'tok', path: 'metrics.prometheus.token', expected: 'tok' },
    OTEL_LOGS_EXPORTER: { valid: 'none', path: 'logs.exporters', expected: [], invalid: 'file' },
    OTEL_BLRP_SCHEDULE_DELAY: {
      valid: '50',
      path: 'logs.batch.scheduledDelayMillis',
      expected: 50,
      invalid: 'x',
    },
    OTEL_BLRP_EXPORT_TIMEOUT: {
      valid: '60',
      path: 'logs.batch.exportTimeoutMillis',
      expected: 60,
      invalid: 'x',
    },
    OTEL_BLRP_MAX_QUEUE_SIZE: {
      valid: '70',
      path: 'logs.batch.maxQueueSize',
      expected: 70,
      invalid: 'x',
    },
    OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: {
      valid: '7',
      path: 'logs.batch.maxExportBatchSize',
      expected: 7,
      invalid: 'x',
    },
    OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: {
      valid: '3',
      path: 'logs.limits.attributeCountLimit',
      expected: 3,
      invalid: 'x',
    },
    OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: {
      valid: '4',
      path: 'logs.limits.attributeValueLengthLimit',
      expected: 4,
      invalid: 'x',
    },
    SIGHTLINE_LOG_CORRELATION: {
      valid: 'false',
      path: 'logs.instrumentation.correlation',
      expected: false,
      invalid: 'off',
    },
    SIGHTLINE_LOG_SENDING: {
      valid: 'FALSE',
      path: 'logs.instrumentation.sending',
      expected: false,
      invalid: '0',
    },
    SIGHTLINE_LOG_SEND_LEVEL: {
      valid: 'Error',
      path: 'logs.instrumentation.sendLevel',
      expected: 'error',
      invalid: 'warning',
    },
    SIGHTLINE_LOG_SPAN_EVENTS: {
      valid: 'true',
      path: 'logs.instrumentation.spanEvents',
      expected: true,
      invalid: 'yes',
    },
    SIGHTLINE_SHUTDOWN_TIMEOUT: {
      valid: '1500',
      path: 'shutdown.timeoutMillis',
      expected: 1500,
      invalid: 'forever',
    },
    SIGHTLINE_TRACES_EXPORT_WORKER: {
      valid: 'true',
      path: 'traces.exportWorker',
      expected: true,
      invalid: 'off',
    },
    SIGHTLINE_HANDLE_SIGNALS: {
      valid: 'false',
      path: 'shutdown.handleSignals',
      expected: false,
      invalid: '0',
    },
    // Unknown instrumentation names are kept here; the registry warns about them by name.
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: {
      valid: 'http, pg,http',
      path: 'instrumentations.enabled',
      expected: ['http', 'pg'],
    },
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: {
      valid: 'redis',
      path: 'instrumentations.disabled',
      expected: ['redis'],
    },
    SIGHTLINE_HTTP_IGNORE_PATHS: {
      valid: '/ping,/status',
      path: 'instrumentations.http.ignorePaths',
      expected: ['/ping', '/status'],
    },
    SIGHTLINE_HTTP_REQUEST_HEADERS: {
      valid: 'x-request-id',
      path: 'instrumentations.http.requestHeaders',
      expected: ['x-request-id'],
      invalid: 'x request',
    },
    SIGHTLINE_HTTP_RESPONSE_HEADERS: {
      valid: 'x-served-by,etag',
      path: 'instrumentations.http.responseHeaders',
      expected: ['x-served-by', 'etag'],
      invalid: 'a:b',
    },
    SIGHTLINE_HTTP_TRACE_RESPONSE: {
      valid: 'true',
      path: 'instrumentations.http.traceResponse',
      expected: true,
      invalid: 'on',
    },
    OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS: {
      valid: 'GET,POST',
      path: 'instrumentations.http.knownMethods',
      expected: ['GET', 'POST'],
      invalid: 'GET,PO ST',
    },
    SIGHTLINE_DB_SLOW_QUERY_THRESHOLD: {
      valid: '250',
      path: 'instrumentations.db.slowQueryThresholdMillis',
      expected: 250,
      invalid: '-1',
    },
    SIGHTLINE_REDIS_RAW_KEYS: {
      valid: 'true',
      path: 'instrumentations.redis.rawKeys',
      expected: true,
      invalid: 'sometimes',
    },
    SIGHTLINE_MEMORY: { valid: 'on', path: 'memory.enabled', expected: true, invalid: 'yes' },
    SIGHTLINE_MEMORY_INTERVAL: {
      valid: '5000',
      path: 'memory.intervalMillis',
      expected: 5000,
      invalid: '5',
    },
    SIGHTLINE_MEMORY_WINDOW: {
      valid: '60000',
      path: 'memory.windowMillis',
      expected: 60000,
      invalid: 'x',
    },
    SIGHTLINE_MEMORY_WARMUP: {
      valid: '0',
      path: 'memory.warmupMillis',
      expected: 0,
      invalid: '-1',
    },
    SIGHTLINE_MEMORY_PERSISTENCE: {
      valid: '5',
      path: 'memory.persistence',
      expected: 5,
      invalid: '0',
    },
    SIGHTLINE_MEMORY_SIGNIFICANCE: {
      valid: '0.01',
      path: 'memory.significance',
      expected: 0.01,
      invalid: '0.9',
    },
    SIGHTLINE_MEMORY_MIN_GROWTH: {
      valid: '2048',
      path: 'memory.minGrowthBytesPerHour',
      expected: 2048,
      invalid: '1.5',
    },
    SIGHTLINE_MEMORY_CRITICAL_HOURS: {
      valid: '2',
      path: 'memory.severity.criticalHoursToExhaustion',
      expected: 2,
      invalid: 'soon',
    },
    SIGHTLINE_MEMORY_CRITICAL_RATE: {
      valid: '1000',
      path: 'memory.severity.criticalBytesPerHour',
      expected: 1000,
      invalid: 'x',
    },
    SIGHTLINE_MEMORY_HIGH_HOURS: {
      valid: '12',
      path: 'memory.severity.highHoursToExhaustion',
      expected: 12,
      invalid: 'x',
    },
    SIGHTLINE_MEMORY_HIGH_RATE: {
      valid: '100',
      path: 'memory.severity.highBytesPerHour',
      expected: 100,
      invalid: 'x',
    },
    SIGHTLINE_MEMORY_MEDIUM_HOURS: {
      valid: '48',
      path: 'memory.severity.mediumHoursToExhaustion',
      expected: 48,
      invalid: 'x',
    },
    SIGHTLINE_MEMORY_MEDIUM_RATE: {
      valid: '10',
      path: 'memory.severity.mediumBytesPerHour',
      expected: 10,
      invalid: 'x',
    },
    SIGHTLINE_MEMORY_PROFILER: {
      valid: 'off',
      path: 'memory.profiler.enabled',
      expected: false,
      invalid: 'maybe',
    },
    SIGHTLINE_MEMORY_SAMPLING_INTERVAL: {
      valid: '32768',
      path: 'memory.profiler.samplingIntervalBytes',
      expected: 32768,
      invalid: '10',
    },
    SIGHTLINE_MEMORY_PROFILE_INTERVAL: {
      valid: '60000',
      path: 'memory.profiler.collectIntervalMillis',
      expected: 60000,
      invalid: '10',
    },
    SIGHTLINE_MEMORY_TOP_N: { valid: '3', path: 'memory.profiler.topN', expected: 3, invalid: '0' },
  };

describe('environment variables', () => {
  it('has a test case for every variable in the settings table', () => {
    const missing = SETTINGS.flatMap((s) => (s.env && !(s.env in CASES) ? [s.env] : []));
    assert.deepEqual(missing, []);
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}=${JSON.stringify(c.valid)} sets ${c.path}`, () => {
      const { config, warnings } = fromEnv({ [name]: c.valid });
      assert.deepEqual(at(config, c.path), c.expected);
      assert.deepEqual(warnings, []);
    });

    const { invalid } = c;
    if (invalid === undefined) {
      // Free-text variables have no invalid value; blank counts as unset, as for every variable.
      it(`${name} left blank counts as unset`, () => {
        const { config, warnings } = fromEnv({ [name]: '   ' });
        assert.deepEqual(at(config, c.path), at(fromEnv({}).config, c.path));
        assert.deepEqual(warnings, []);
      });
      continue;
    }
    it(`${name}=${JSON.stringify(invalid)} warns naming the variable and falls back to the default`, () => {
      const { config, warnings } = fromEnv({ [name]: invalid });
      const { config: defaults } = fromEnv({});
      assert.equal(warnings.length, 1, `expected one warning, got ${JSON.stringify(warnings)}`);
      assert.match(warnings[0] ?? '', new RegExp(name));
      assert.ok(
        warnings[0]?.includes(JSON.stringify(invalid)),
        `warning names the value: ${warnings[0]}`,
      );
      assert.deepEqual(at(config, c.path), at(defaults, c.path));
    });
  }

  it('sends spans from a worker by default only where the worker encodes them (not http/protobuf)', () => {
    const worker = (env: Record<string, string>) => fromEnv(env).config.traces.exportWorker;
    assert.equal(worker({}), false);
    assert.equal(worker({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), true);
    assert.equal(worker({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }), true);
    // The traces protocol decides, not the general one.
    assert.equal(
      worker({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      }),
      false,
    );
    assert.equal(worker({ SIGHTLINE_TRACES_EXPORT_WORKER: 'true' }), true);
    assert.equal(
      worker({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', SIGHTLINE_TRACES_EXPORT_WORKER: 'false' }),
      false,
    );
  });

  it('treats an empty value as unset', () => {
    const { config, warnings } = fromEnv({ OTEL_BSP_MAX_QUEUE_SIZE: '', OTEL_SERVICE_NAME: '' });
    assert.equal(config.traces.batch.maxQueueSize, 2048);
    assert.equal(config.service.name, undefined);
    assert.deepEqual(warnings, []);
  });

  it('lets `none` win in exporter lists', () => {
    assert.deepEqual(fromEnv({ OTEL_TRACES_EXPORTER: 'otlp,none' }).config.traces.exporters, []);
    assert.deepEqual(fromEnv({ OTEL_PROPAGATORS: 'none' }).config.propagators, []);
  });

  it('appends /v1/<signal> to the shared endpoint for HTTP but not for gRPC', () => {
    const { config } = fromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
    });
    assert.equal(config.traces.otlp.url, 'http://c:4317');
    assert.equal(config.metrics.otlp.url, 'http://c:4317/v1/metrics');
  });

  it('defaults to OTLP http/protobuf on localhost:4318, and 4317 for gRPC', () => {
    const { config } = fromEnv({ OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' });
    assert.equal(config.traces.otlp.url, 'http://localhost:4318/v1/traces');
    assert.equal(config.traces.otlp.protocol, 'http/protobuf');
    assert.equal(config.logs.otlp.url, 'http://localhost:4317');
  });

  it('prefers the signal-specific variable over the shared one', () => {
    const { config } = fromEnv({
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
    });
    assert.equal(config.traces.otlp.timeoutMillis, 2000);
    assert.equal(config.logs.otlp.timeoutMillis, 1000);
  });

  it('caps the batch size at the queue size with a warning', () => {
    const { config, warnings } = fromEnv({
      OTEL_BSP_MAX_QUEUE_SIZE: '10',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20',
    });
    assert.equal(config.traces.batch.maxExportBatchSize, 10);
    assert.equal(warnings.length, 1);
  });

  it('binds Prometheus to loopback when a non-loopback host comes without a token', () => {
    const open = fromEnv({
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
    });
    assert.equal(open.config.metrics.prometheus.host, '127.0.0.1');
    assert.match(open.warnings[0] ?? '', /OTEL_EXPORTER_PROMETHEUS_HOST/);
    const withToken = fromEnv({
      OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
      SIGHTLINE_PROMETHEUS_TOKEN: 't',
    });
    assert.equal(withToken.config.metrics.prometheus.host, '0.0.0.0');
  });

  it('ignores OTEL_RESOURCE_ATTRIBUTES when the env detector is off', () => {
    const { config } = fromEnv({
      OTEL_RESOURCE_ATTRIBUTES: 'a=1',
      OTEL_NODE_RESOURCE_DETECTORS: 'host',
    });
    assert.deepEqual(config.resource.attributes, {});
  });
});

describe('precedence', () => {
  it('code options beat the environment, which beats the config file, which beats defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-config-'));
    const file = join(dir, 'sightline.json');
    writeFileSync(
      file,
      JSON.stringify({
        service: { name: 'from-file', namespace: 'file-ns' },
        traces: { batch: { maxQueueSize: 99 } },
        logLevel: 'error',
      }),
    );
    const env = { SIGHTLINE_CONFIG: file, OTEL_SERVICE_NAME: 'from-env', OTEL_LOG_LEVEL: 'debug' };
    const config = resolveConfig({ env, options: { logLevel: 'warn' } });
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.service.name, 'from-env');
    assert.equal(config.service.namespace, 'file-ns');
    assert.equal(config.traces.batch.maxQueueSize, 99);
    // The default batch size follows a smaller queue without a warning.
    assert.equal(config.traces.batch.maxExportBatchSize, 99);
  });

  it("code's shared endpoint beats the environment's signal endpoint", () => {
    const config = resolveConfig({
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env/traces' },
      options: { otlp: { endpoint: 'http://code:4318' } },
    });
    assert.equal(config.traces.otlp.url, 'http://code:4318/v1/traces');
  });

  it('merges resource attributes across sources, code winning per key', () => {
    const config = resolveConfig({
      env: { OTEL_RESOURCE_ATTRIBUTES: 'a=env,b=env' },
      options: { resource: { attributes: { b: 'code', c: 3 } } },
    });
    assert.deepEqual(config.resource.attributes, { a: 'env', b: 'code', c: 3 });
  });
});

describe('lists', () => {
  it('lets `none` win in code options too, and drops duplicates', () => {
    const config = resolveConfig({
      env: {},
      options: {
        traces: { exporters: ['otlp', 'none'] },
        logs: { exporters: ['console', 'console'] },
      },
    });
    assert.deepEqual(config.traces.exporters, []);
    assert.deepEqual(config.logs.exporters, ['console']);
  });

  it('checks the Prometheus host only when the Prometheus exporter is on', () => {
    const config = resolveConfig({
      env: {},
      options: { metrics: { prometheus: { host: '0.0.0.0' } } },
    });
    assert.equal(config.metrics.prometheus.host, '0.0.0.0');
  });
});

describe('invalid options', () => {
  const cases: Array<[string, SightlineOptions | Record<string, unknown>, RegExp]> = [
    [
      'a sampler ratio of 1.5',
      { traces: { sampler: { ratio: 1.5 } } },
      /traces\.sampler\.ratio.*1\.5/,
    ],
    [
      'an endpoint that is not a URL',
      { otlp: { endpoint: 'localhost:4318' } },
      /otlp\.endpoint.*"localhost:4318"/,
    ],
    [
      'an unknown protocol',
      { traces: { otlp: { protocol: 'udp' } } },
      /traces\.otlp\.protocol.*"udp"/,
    ],
    [
      'a negative queue size',
      { logs: { batch: { maxQueueSize: -1 } } },
      /logs\.batch\.maxQueueSize.*-1/,
    ],
    ['a fractional timeout', { shutdown: { timeoutMillis: 1.5 } }, /shutdown\.timeoutMillis.*1\.5/],
    ['an unknown exporter', { metrics: { exporters: ['statsd'] } }, /metrics\.exporters.*statsd/],
    ['a non-object section', { traces: 'on' }, /traces.*"on"/],
    ['a non-string header', { otlp: { headers: { a: 1 } } }, /otlp\.headers/],
    [
      'an object resource attribute',
      { resource: { attributes: { a: { b: 1 } } } },
      /resource\.attributes/,
    ],
    ['an empty service name', { service: { name: '' } }, /service\.name.*""/],
    ['a non-boolean enabled', { enabled: 'yes' }, /enabled.*"yes"/],
    [
      'a public Prometheus host without a token',
      { metrics: { exporters: ['prometheus'], prometheus: { host: '0.0.0.0' } } },
      /metrics\.prometheus\.host.*0\.0\.0\.0/,
    ],
  ];
  for (const [what, options, message] of cases) {
    it(`throws SIGHTLINE_ERR_INVALID_OPTION for ${what}`, () => {
      assert.throws(
        () => resolveConfig({ env: {}, options: options as SightlineOptions }),
        (error: unknown) => {
          assert.ok(error instanceof SightlineError);
          assert.equal(error.code, 'SIGHTLINE_ERR_INVALID_OPTION');
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('throws SIGHTLINE_ERR_UNKNOWN_OPTION for a misspelt option', () => {
    assert.throws(
      () => resolveConfig({ env: {}, options: { traces: { samplr: {} } } as SightlineOptions }),
      (error: unknown) =>
        error instanceof SightlineError &&
        error.code === 'SIGHTLINE_ERR_UNKNOWN_OPTION' &&
        /traces\.samplr/.test(error.message),
    );
  });

  it('throws SIGHTLINE_ERR_CONFIG_FILE for a missing or malformed config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-config-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    for (const path of [join(dir, 'missing.json'), broken]) {
      assert.throws(
        () => resolveConfig({ env: { SIGHTLINE_CONFIG: path } }),
        (error: unknown) =>
          error instanceof SightlineError &&
          error.code === 'SIGHTLINE_ERR_CONFIG_FILE' &&
          error.message.includes(path),
      );
    }
  });

  it('names the config file when one of its values is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ traces: { sampler: { ratio: 2 } } }));
    assert.throws(
      () => resolveConfig({ env: { SIGHTLINE_CONFIG: file } }),
      (error: unknown) =>
        error instanceof SightlineError &&
        error.message.includes(file) &&
        error.message.includes('traces.sampler.ratio'),
    );
  });
});
