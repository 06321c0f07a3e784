import { logs as apiLogs, context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SightlineOptions } from '../config/options.js';
import { type ResolvedConfig, resolveConfig } from '../config/resolve.js';
import { configureDiagLogger } from '../diagnostics/diag-logger.js';
import { BatchExportQueue } from '../export/batch-export-queue.js';
import { CountingExporter } from '../export/counting-exporter.js';
import { EncodedSpanQueue } from '../export/encoded-span-queue.js';
import { registerSdkSelfMetrics } from '../export/sdk-self-metrics.js';
import { SignalStats } from '../export/signal-stats.js';
import { WorkerSpanExporter } from '../export/worker-span-exporter.js';
import { enableInstrumentations } from '../instrumentation/enable-instrumentations.js';
import { BatchLogRecordProcessor } from '../logs/batch-log-record-processor.js';
import { createLogExporters } from '../logs/log-exporters.js';
import { memoryOptionsFromConfig } from '../memory/from-config.js';
import { startMemoryTelemetry } from '../memory/memory-telemetry.js';
import { HistogramRegistry } from '../metrics/histogram-producer.js';
import { createMetricReaders } from '../metrics/metric-readers.js';
import { createBaggageSpanProcessor } from '../propagation/baggage-span-processor.js';
import { createPropagator } from '../propagation/create-propagator.js';
import { createResource } from '../resource/create-resource.js';
import { AdaptiveSampler } from '../sampling/adaptive-sampler.js';
import { createKeepHintPropagator } from '../sampling/keep-hint-propagator.js';
import { registerSamplingMetrics } from '../sampling/sampling-metrics.js';
import { createTailSamplingProcessor } from '../sampling/tail-sampling-processor.js';
import { BatchSpanProcessor } from '../trace/batch-span-processor.js';
import { createSampler } from '../trace/create-sampler.js';
import { SightlineTracerProvider } from '../trace/sightline-tracer-provider.js';
import { createSpanExporters } from '../trace/span-exporters.js';
import { SpanHealthProcessor } from '../trace/span-health-processor.js';
import { VERSION } from '../version.js';
import { bounded } from './bounded.js';
import type { SightlineHandle } from './handle.js';
import { createNoopHandle } from './noop-handle.js';
import { installProcessHooks } from './process-hooks.js';

// One SDK per process, even if two copies of this package are loaded (OTel keys its globals alike).
const HANDLE = Symbol.for('sightline.node.handle');
type GlobalSlot = { [HANDLE]?: SightlineHandle };

/**
 * Starts Sightline: resolves the configuration (code options > `OTEL_*`/`SIGHTLINE_*` environment >
 * `SIGHTLINE_CONFIG` file > defaults), builds the trace, metric and log pipelines with their
 * exporters, and registers the global providers, propagator and context manager.
 *
 * Invalid options throw a `SightlineError` (`SIGHTLINE_ERR_*`) naming the option and the value;
 * invalid environment values only warn. Calling `init()` again warns and returns the same handle.
 *
 * @example
 * ```ts
 * import { init } from '@sightline/node';
 * const sightline = init({ service: { name: 'checkout' } });
 * // ... later, e.g. in tests:
 * await sightline.shutdown();
 * ```
 */
export function init(options?: SightlineOptions): SightlineHandle {
  const slot = globalThis as GlobalSlot;
  const existing = slot[HANDLE];
  if (existing) {
    diag.warn(
      'sightline: init() was called again; returning the existing handle and ignoring the new options',
    );
    return existing;
  }
  const warnings: string[] = [];
  const config = resolveConfig({
    options,
    env: process.env,
    warn: (message) => warnings.push(message),
  });
  configureDiagLogger(config.logLevel);
  for (const warning of warnings) diag.warn(`sightline: ${warning}`);

  const handle = config.enabled
    ? startSdk(config, () => delete slot[HANDLE])
    : createNoopHandle(config, () => delete slot[HANDLE]);
  slot[HANDLE] = handle;
  return handle;
}

function startSdk(config: ResolvedConfig, release: () => void): SightlineHandle {
  const resource = createResource(config);
  const ready = resource.waitForAsyncAttributes?.() ?? Promise.resolve();

  const spanProcessors = createSpanExporters(config).map(({ target, exporter }) => {
    const stats = new SignalStats('traces', target);
    // OTLP protobuf from the export worker: spans are encoded in the event-loop turn they end in
    // (EncodedSpanQueue).
    const queue =
      exporter instanceof WorkerSpanExporter && exporter.sendsProtobuf
        ? new EncodedSpanQueue(exporter, config.traces.batch, stats, ready)
        : new BatchExportQueue<ReadableSpan>(
            new CountingExporter(exporter, stats),
            config.traces.batch,
            stats,
            ready,
          );
    return { stats, processor: new BatchSpanProcessor(queue) };
  });
  const logProcessors = createLogExporters(config).map(({ target, exporter }) => {
    const stats = new SignalStats('logs', target);
    return {
      stats,
      processor: new BatchLogRecordProcessor(
        new BatchExportQueue<ReadableLogRecord>(
          new CountingExporter(exporter, stats),
          config.logs.batch,
          stats,
          ready,
        ),
      ),
    };
  });
  const metricStats = new SignalStats('metrics', config.metrics.exporters.join(','));
  const histograms = new HistogramRegistry();
  const readers = createMetricReaders(config, metricStats, histograms, ready);

  const meterProvider = new MeterProvider({ resource, readers: readers.readers });
  histograms.attachTo(meterProvider);
  const spanHealth = new SpanHealthProcessor();
  registerSdkSelfMetrics(
    meterProvider,
    [...spanProcessors.map((p) => p.stats), ...logProcessors.map((p) => p.stats), metricStats],
    VERSION,
    spanHealth,
  );
  const sampler = createSampler(config.traces.sampler);
  // Tail sampling sits in front of the export processors: recorded spans go to it, kept ones on.
  const { enabled: tailEnabled, ...tailOptions } = config.traces.tail;
  const exportProcessors = spanProcessors.map((p) => p.processor);
  const tail = tailEnabled
    ? createTailSamplingProcessor({ ...tailOptions, next: exportProcessors })
    : undefined;
  registerSamplingMetrics(
    meterProvider,
    { tail, adaptive: sampler instanceof AdaptiveSampler ? sampler : undefined },
    VERSION,
  );
  const tracerProvider = new SightlineTracerProvider({
    resource,
    sampler,
    spanLimits: config.traces.limits,
    spanProcessors: [
      // First, so the copied attributes are on the span before any other processor sees it.
      ...(config.traces.baggageAttributes.length > 0
        ? [createBaggageSpanProcessor({ keys: config.traces.baggageAttributes })]
        : []),
      spanHealth,
      ...(tail ? [tail] : exportProcessors),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    logRecordLimits: config.logs.limits,
    processors: logProcessors.map((p) => p.processor),
  });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  const registered = [
    context.setGlobalContextManager(contextManager),
    propagation.setGlobalPropagator(
      tail
        ? createKeepHintPropagator(createPropagator(config.propagators), (id) => tail.keepHint(id))
        : createPropagator(config.propagators),
    ),
    trace.setGlobalTracerProvider(tracerProvider),
    metrics.setGlobalMeterProvider(meterProvider),
    // @opentelemetry/api 1.10 has its own Logs API global, which log bridges such as
    // instrumentation-pino read; @opentelemetry/api-logs (winston-transport) keeps another.
    apiLogs.setGlobalLoggerProvider(loggerProvider),
  ];
  logs.setGlobalLoggerProvider(loggerProvider);
  if (registered.includes(false)) {
    diag.warn(
      'sightline: another OpenTelemetry SDK registered global providers first; use the providers on the handle',
    );
  }

  // After the providers are global: instrumentations may record as soon as they are on.
  const instrumentations = enableInstrumentations({
    config,
    tracerProvider,
    meterProvider,
    loggerProvider,
  });
  // Memory telemetry (off by default) uses the providers directly, registered globally or not.
  const memory = config.memory.enabled
    ? startMemoryTelemetry({
        ...memoryOptionsFromConfig(config.memory),
        meterProvider,
        tracerProvider,
        loggerProvider,
      })
    : undefined;

  const { timeoutMillis } = config.shutdown;
  const removeHooks = config.shutdown.handleSignals
    ? installProcessHooks(() => handle.shutdown())
    : () => {};
  let shuttingDown: Promise<void> | undefined;
  const handle: SightlineHandle = {
    enabled: true,
    tracerProvider,
    meterProvider,
    loggerProvider,
    config,
    async flush() {
      await bounded('flush', timeoutMillis, () =>
        Promise.allSettled([
          tracerProvider.forceFlush(),
          loggerProvider.forceFlush(),
          meterProvider.forceFlush(),
        ]),
      );
    },
    shutdown() {
      shuttingDown ??= (async () => {
        removeHooks();
        instrumentations.disable();
        memory?.stop();
        // Logs and spans first: metric shutdown then also exports the final self-metrics.
        await bounded('shutdown', timeoutMillis, async () => {
          await Promise.allSettled([tracerProvider.shutdown(), loggerProvider.shutdown()]);
          await meterProvider.shutdown();
        });
        readers.prometheus?.server.close();
        for (const { stats } of [...spanProcessors, ...logProcessors])
          stats.lostAtShutdown(stats.queued);
        trace.disable();
        metrics.disable();
        logs.disable();
        apiLogs.disable();
        propagation.disable();
        context.disable();
        release();
      })();
      return shuttingDown;
    },
  };
  return handle;
}
