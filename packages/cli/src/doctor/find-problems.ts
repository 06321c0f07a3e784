/**
 * The configuration half of `sightline doctor`: resolves the configuration exactly as the SDK does
 * (`resolveConfig` from `@sightline/node`: code defaults + `OTEL_*`/`SIGHTLINE_*` + `SIGHTLINE_CONFIG`)
 * and names every variable that is invalid, unknown or in conflict with another, and why.
 */
import { environmentVariables, type ResolvedConfig, resolveConfig } from '@sightline/node';
import { closestName } from './closest-name.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** The variable at fault (the first one, for a conflict between several). */
  variable: string;
  /** Every variable involved. */
  variables: string[];
  /** What is wrong and what the SDK does about it. */
  message: string;
}

export interface ConfigDiagnosis {
  /** The effective configuration, or undefined when it cannot be resolved at all. */
  config: ResolvedConfig | undefined;
  findings: Finding[];
}

// Read by other parts of Sightline or by tooling, not by the SDK's settings table.
const OTHER_KNOWN = new Set([
  'SIGHTLINE_VIEWER_TOKEN',
  'SIGHTLINE_REQUIRE_SERVICES',
  'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
  'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
]);
const RATIO_SAMPLERS = new Set(['traceidratio', 'parentbased_traceidratio']);
const SIGNALS = ['traces', 'metrics', 'logs'] as const;

/**
 * Diagnoses `env` (default `process.env`). Never throws: a configuration the SDK would refuse
 * becomes an `error` finding.
 *
 * @example
 * ```ts
 * const { findings } = diagnoseConfig({ OTEL_BSP_MAX_QUEUE_SIZE: 'lots' });
 * // [{ severity: 'error', variable: 'OTEL_BSP_MAX_QUEUE_SIZE', message: 'invalid value ...' }]
 * ```
 */
export function diagnoseConfig(env: NodeJS.ProcessEnv = process.env): ConfigDiagnosis {
  const findings: Finding[] = [];
  const add = (severity: Severity, variables: string[], message: string): void => {
    findings.push({ severity, variable: variables[0] ?? '', variables, message });
  };
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';

  let config: ResolvedConfig | undefined;
  const warnings: string[] = [];
  try {
    config = resolveConfig({ env, warn: (message) => warnings.push(message) });
  } catch (error) {
    const message = (error as Error).message;
    add('error', set('SIGHTLINE_CONFIG') ? ['SIGHTLINE_CONFIG'] : [], message);
  }
  for (const warning of warnings) {
    const named = [...warning.matchAll(/\b((?:OTEL|SIGHTLINE)_[A-Z0-9_]+)\b/g)].map(
      (m) => m[1] as string,
    );
    const variables = named.length > 0 ? named : variablesOfOptionWarning(warning);
    add(warning.startsWith('invalid value') ? 'error' : 'warning', variables, warning);
  }

  const known = new Set([...environmentVariables(), ...OTHER_KNOWN]);
  const candidates = [...known];
  for (const name of Object.keys(env).sort()) {
    if (!/^(OTEL|SIGHTLINE)_/.test(name) || known.has(name)) continue;
    const guess = closestName(name, candidates);
    add(
      'warning',
      [name],
      `${name} is not a variable Sightline reads${guess ? `; did you mean ${guess}?` : ''} It has no effect.`,
    );
  }

  if (config) findConflicts(env, config, set, add);
  return { config, findings };
}

function findConflicts(
  env: NodeJS.ProcessEnv,
  config: ResolvedConfig,
  set: (name: string) => boolean,
  add: (severity: Severity, variables: string[], message: string) => void,
): void {
  if (!config.enabled) {
    const others = Object.keys(env).filter(
      (k) => /^(OTEL|SIGHTLINE)_/.test(k) && k !== 'OTEL_SDK_DISABLED' && set(k),
    );
    if (others.length > 0)
      add(
        'warning',
        ['OTEL_SDK_DISABLED', ...others],
        `OTEL_SDK_DISABLED=true turns telemetry off, so ${others.join(', ')} ha${others.length === 1 ? 's' : 've'} no effect.`,
      );
    return;
  }

  if (set('OTEL_TRACES_SAMPLER_ARG') && !RATIO_SAMPLERS.has(config.traces.sampler.name))
    add(
      'warning',
      ['OTEL_TRACES_SAMPLER_ARG', 'OTEL_TRACES_SAMPLER'],
      `OTEL_TRACES_SAMPLER_ARG is only read by the traceidratio samplers; the sampler is ${config.traces.sampler.name}, so it is ignored.`,
    );
  if (config.traces.sampler.name === 'always_off' || config.traces.sampler.ratio === 0)
    add(
      'warning',
      ['OTEL_TRACES_SAMPLER'],
      'the sampler records no traces at all (always_off or a ratio of 0).',
    );

  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  const attributeName = config.resource.attributes['service.name'];
  if (serviceName && attributeName !== undefined && String(attributeName) !== serviceName)
    add(
      'warning',
      ['OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES'],
      `OTEL_SERVICE_NAME=${serviceName} and service.name=${String(attributeName)} in OTEL_RESOURCE_ATTRIBUTES disagree; OTEL_SERVICE_NAME wins.`,
    );
  if (!serviceName && attributeName === undefined && !config.service.name)
    add(
      'info',
      ['OTEL_SERVICE_NAME'],
      'no service name is set: telemetry will say unknown_service:node unless the app passes service.name to init().',
    );

  if (!config.propagators.includes('tracecontext'))
    add(
      'warning',
      ['OTEL_PROPAGATORS'],
      `OTEL_PROPAGATORS (${config.propagators.join(',') || 'none'}) leaves out tracecontext: W3C traceparent headers are neither read nor sent, so traces break at services that use them.`,
    );

  for (const [variable, list] of [
    ['OTEL_TRACES_EXPORTER', env.OTEL_TRACES_EXPORTER],
    ['OTEL_METRICS_EXPORTER', env.OTEL_METRICS_EXPORTER],
    ['OTEL_LOGS_EXPORTER', env.OTEL_LOGS_EXPORTER],
    ['OTEL_PROPAGATORS', env.OTEL_PROPAGATORS],
  ] as const) {
    const items = (list ?? '').split(',').map((s) => s.trim());
    if (items.includes('none') && items.filter((s) => s && s !== 'none').length > 0)
      add(
        'warning',
        [variable],
        `${variable}=${list} lists none with other values; none wins, so nothing is used.`,
      );
  }

  const exporters = {
    traces: config.traces.exporters as string[],
    metrics: config.metrics.exporters as string[],
    logs: config.logs.exporters as string[],
  };
  // One finding per distinct port mistake, naming every signal it affects.
  const portConflicts = new Map<string, string[]>();
  for (const signal of SIGNALS) {
    const infix = signal.toUpperCase();
    const specific = `OTEL_EXPORTER_OTLP_${infix}_ENDPOINT`;
    const exporterVariable = `OTEL_${infix}_EXPORTER`;
    const otlp = config[signal].otlp;
    if (!exporters[signal].includes('otlp')) {
      const ignored = [
        specific,
        `OTEL_EXPORTER_OTLP_${infix}_PROTOCOL`,
        `OTEL_EXPORTER_OTLP_${infix}_HEADERS`,
      ].filter(set);
      if (ignored.length > 0)
        add(
          'warning',
          [...ignored, exporterVariable],
          `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored: ${exporterVariable} does not include otlp.`,
        );
      continue;
    }
    const port = portOf(otlp.url);
    const wrongPort =
      otlp.protocol === 'grpc' && port === 4318
        ? 'use OTLP/gRPC but the endpoint is on 4318, the OTLP/HTTP port; gRPC listens on 4317'
        : otlp.protocol !== 'grpc' && port === 4317
          ? `use OTLP/HTTP (${otlp.protocol}) but the endpoint is on 4317, the OTLP/gRPC port; HTTP listens on 4318`
          : undefined;
    if (wrongPort) {
      const key = `${wrongPort}|${protocolVariables(signal, env).join(',')}`;
      portConflicts.set(key, [...(portConflicts.get(key) ?? []), signal]);
    }
    if (
      set(specific) &&
      otlp.protocol !== 'grpc' &&
      !new URL(otlp.url).pathname.endsWith(`/v1/${signal}`)
    )
      add(
        'warning',
        [specific],
        `${specific}=${env[specific]} is used as is (a signal-specific endpoint gets no /v1/${signal} appended); most receivers expect ${otlp.url.replace(/\/+$/, '')}/v1/${signal}.`,
      );
  }

  for (const [key, signals] of portConflicts) {
    const [what = '', variables = ''] = key.split('|');
    add('warning', variables ? variables.split(',') : [], `${signals.join(', ')} ${what}.`);
  }

  if (set('OTEL_METRIC_EXPORT_TIMEOUT') && set('OTEL_METRIC_EXPORT_INTERVAL')) {
    const timeout = Number(env.OTEL_METRIC_EXPORT_TIMEOUT);
    if (timeout > config.metrics.exportIntervalMillis)
      add(
        'warning',
        ['OTEL_METRIC_EXPORT_TIMEOUT', 'OTEL_METRIC_EXPORT_INTERVAL'],
        `OTEL_METRIC_EXPORT_TIMEOUT (${timeout}) exceeds OTEL_METRIC_EXPORT_INTERVAL (${config.metrics.exportIntervalMillis}); the timeout is cut to the interval.`,
      );
  }
  if (set('OTEL_EXPORTER_ZIPKIN_ENDPOINT') && !exporters.traces.includes('zipkin'))
    add(
      'warning',
      ['OTEL_EXPORTER_ZIPKIN_ENDPOINT', 'OTEL_TRACES_EXPORTER'],
      'OTEL_EXPORTER_ZIPKIN_ENDPOINT is ignored: OTEL_TRACES_EXPORTER does not include zipkin.',
    );
  const prometheus = [
    'OTEL_EXPORTER_PROMETHEUS_HOST',
    'OTEL_EXPORTER_PROMETHEUS_PORT',
    'SIGHTLINE_PROMETHEUS_TOKEN',
  ].filter(set);
  if (prometheus.length > 0 && !exporters.metrics.includes('prometheus'))
    add(
      'warning',
      [...prometheus, 'OTEL_METRICS_EXPORTER'],
      `${prometheus.join(', ')} ${prometheus.length === 1 ? 'is' : 'are'} ignored: OTEL_METRICS_EXPORTER does not include prometheus.`,
    );
}

// resolveConfig words a few warnings by option path; these are the variables behind them.
const OPTION_WARNINGS: [RegExp, string[]][] = [
  [
    /^traces\.batch\.maxExportBatchSize/,
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'OTEL_BSP_MAX_QUEUE_SIZE'],
  ],
  [
    /^logs\.batch\.maxExportBatchSize/,
    ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', 'OTEL_BLRP_MAX_QUEUE_SIZE'],
  ],
];

function variablesOfOptionWarning(warning: string): string[] {
  return OPTION_WARNINGS.find(([pattern]) => pattern.test(warning))?.[1] ?? [];
}

function protocolVariables(signal: string, env: NodeJS.ProcessEnv): string[] {
  const infix = signal.toUpperCase();
  return [
    `OTEL_EXPORTER_OTLP_${infix}_PROTOCOL`,
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    `OTEL_EXPORTER_OTLP_${infix}_ENDPOINT`,
    'OTEL_EXPORTER_OTLP_ENDPOINT',
  ].filter((name) => (env[name] ?? '').trim() !== '');
}

function portOf(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.port) return Number(parsed.port);
    return parsed.protocol === 'https:' ? 443 : 80;
  } catch {
    return undefined;
  }
}
