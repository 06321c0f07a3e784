// The public surface of @sightline/node: every export by name (no `export *`).

export { environmentVariables } from './config/environment-variables.js';
export type {
  AttributeValue,
  BatchOptions,
  Compression,
  InstrumentationName,
  InstrumentationsOptions,
  LogExporterName,
  LogInstrumentationOptions,
  LogLevel,
  LogRecordLevel,
  LogRecordLimitsOptions,
  LogsOptions,
  MetricExporterName,
  MetricsOptions,
  OtlpOptions,
  OtlpProtocol,
  PropagatorName,
  ResourceDetectorName,
  ResourceOptions,
  SamplerName,
  SamplerOptions,
  ServiceOptions,
  ShutdownOptions,
  SightlineOptions,
  SpanLimitsOptions,
  TailOptions,
  TemporalityPreference,
  TraceExporterName,
  TracesOptions,
} from './config/options.js';
export type { ResolvedConfig, ResolvedOtlp, ResolvedSampler } from './config/resolve.js';
export { resolveConfig } from './config/resolve.js';
export { bindEmitter } from './context/bind-emitter.js';
export {
  contextForWorker,
  contextFromWorker,
  type WorkerContextCarrier,
} from './context/worker-context.js';
export { ERROR_CODES, SightlineError, type SightlineErrorCode } from './errors.js';
export { keyPattern } from './instrumentation/cache/key-pattern.js';
export { sanitizeSql } from './instrumentation/db/sanitize-sql.js';
export { setHttpRoute } from './instrumentation/http/set-http-route.js';
export { INSTRUMENTATION_NAMES } from './instrumentation/names.js';
export type { SightlineHandle } from './lifecycle/handle.js';
export { init } from './lifecycle/init.js';
export {
  ATTR,
  type InstrumentType,
  METRIC,
  METRICS,
  type MetricDefinition,
} from './metrics/metric-catalogue.js';
export {
  createMetricsRecorder,
  type MetricsRecorder,
  type MetricsRecorderOptions,
  type RecordedCounter,
  type RecordedValue,
} from './metrics/metrics-recorder.js';
export { getBaggage, setBaggage, withBaggage } from './propagation/baggage.js';
export {
  type BaggageSpanProcessorOptions,
  createBaggageSpanProcessor,
} from './propagation/baggage-span-processor.js';
export type { Carrier, HeaderRecord, MetadataPairs } from './propagation/carriers.js';
export { extract, type Injected, inject } from './propagation/inject-extract.js';
export { JaegerPropagator } from './propagation/jaeger-propagator.js';
export { linkFrom } from './propagation/link-from.js';
export { TraceContextPropagator } from './propagation/trace-context-propagator.js';
export { AdaptiveSampler, type AdaptiveSamplerOptions } from './sampling/adaptive-sampler.js';
export type { Clock, RandomSource } from './sampling/clock.js';
export {
  ErrorBiasedSampler,
  type ErrorBiasedSamplerOptions,
} from './sampling/error-biased-sampler.js';
export { KEEP_HINT_KEY, KEEP_HINT_VALUE } from './sampling/keep-hint.js';
export { createKeepHintPropagator } from './sampling/keep-hint-propagator.js';
export { RulesSampler, type RulesSamplerOptions } from './sampling/rules-sampler.js';
export { registerSamplingMetrics } from './sampling/sampling-metrics.js';
export type { RuleSpanKind, SamplingRule } from './sampling/sampling-rule.js';
export type {
  LatencyPolicySpec,
  TailPolicyName,
  TailPolicySpec,
} from './sampling/tail-policy-spec.js';
export {
  createTailSamplingProcessor,
  type TailSamplingOptions,
  type TailSamplingProcessor,
} from './sampling/tail-sampling-processor.js';
export type { EvictionReason, TailSamplingStats } from './sampling/tail-sampling-stats.js';
export { recordException } from './spans/record-exception.js';
export { SpanBuilder, spanBuilder } from './spans/span-builder.js';
export type { SpanHelperOptions } from './spans/span-helper-options.js';
export { type ScopedSpan, startSpan } from './spans/start-span.js';
export { type TracedOptions, traced } from './spans/traced.js';
export { withSpan } from './spans/with-span.js';
export { VERSION } from './version.js';
