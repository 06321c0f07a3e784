// One variant of the log-record benchmark, alone in its own process so that no other variant's
// globals (registered providers, context manager, require hooks, JIT feedback) can affect it.
// Usage: node --expose-gc child.mjs <variant>; settings come from BENCH_* environment variables:
// BENCH_OTLP_URL (the sink's base URL), BENCH_WARMUP and BENCH_MIN_WARMUP_MS (warm-up: at least that
// many records and ms), BENCH_SAMPLES, BENCH_RECORDS and BENCH_MIN_SAMPLE_MS (each sample: whole
// chunks of BENCH_RECORDS records until at least BENCH_MIN_SAMPLE_MS have passed).
// Prints one line `BENCH_RESULT {json}` with the ns/record of every sample.

import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { nonNegativeInt, positiveInt } from '../lib/common.mjs';

const RESULT_PREFIX = 'BENCH_RESULT ';
// The instrumentations hook `require`, so pino is loaded the CommonJS way, after the setup.
const require = createRequire(import.meta.url);

const variant = process.argv[2];
const baseUrl = process.env.BENCH_OTLP_URL;
const warmup = positiveInt('BENCH_WARMUP');
const recordsPerSample = positiveInt('BENCH_RECORDS');
const samples = positiveInt('BENCH_SAMPLES');
const minWarmupMillis = nonNegativeInt('BENCH_MIN_WARMUP_MS');
const minSampleMillis = nonNegativeInt('BENCH_MIN_SAMPLE_MS');

/** Each setup registers what its variant needs and returns flush/shutdown hooks. */
const setups = {
  /** pino alone: no instrumentation, no SDK. The floor. */
  async bare() {
    return { flush: async () => {}, shutdown: async () => {} };
  },

  /**
   * The official path, wired by hand: the contrib instrumentation-pino with its defaults, a
   * TracerProvider, and a LoggerProvider with BatchLogRecordProcessor + OTLP http/protobuf.
   */
  async official() {
    const [api, { AsyncLocalStorageContextManager }, trace, logs, exporter, contrib] =
      await Promise.all([
        import('@opentelemetry/api'),
        import('@opentelemetry/context-async-hooks'),
        import('@opentelemetry/sdk-trace'),
        import('@opentelemetry/sdk-logs'),
        import('@opentelemetry/exporter-logs-otlp-proto'),
        import('@opentelemetry/instrumentation-pino'),
      ]);
    const tracerProvider = new trace.TracerProvider();
    const loggerProvider = new logs.LoggerProvider({
      // Batch settings left at their defaults (512 / 2048 / 1000 ms).
      processors: [
        new logs.BatchLogRecordProcessor({
          exporter: new exporter.OTLPLogExporter({ url: `${baseUrl}/v1/logs` }),
        }),
      ],
    });
    const registered = [
      api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()),
      api.trace.setGlobalTracerProvider(tracerProvider),
      api.logs.setGlobalLoggerProvider(loggerProvider),
    ];
    if (registered.includes(false)) throw new Error('official: global registration failed');
    new contrib.PinoInstrumentation();
    return {
      flush: () => loggerProvider.forceFlush(),
      shutdown: async () => {
        await loggerProvider.shutdown();
        await tracerProvider.shutdown();
      },
    };
  },

  /** Sightline: init() with logs over OTLP http/protobuf; its registry enables pino. */
  async sightline() {
    return sightline({});
  },

  /** Sightline's correlation alone: the log bridge turned off. */
  async 'sightline-correlation'() {
    return sightline({ sending: false });
  },
};

async function sightline(options) {
  const { init } = await importSightline('index.js');
  const handle = init({
    service: { name: 'bench' },
    otlp: { endpoint: baseUrl },
    traces: { exporters: ['none'] },
    metrics: { exporters: ['none'] },
    logs: { instrumentation: options },
    instrumentations: { enabled: ['pino'] },
    shutdown: { handleSignals: false },
  });
  if (!handle.enabled) throw new Error('sightline: init() returned a disabled handle');
  return { flush: () => handle.flush(), shutdown: () => handle.shutdown() };
}

/** A destination that drops every line, so the loop measures pino plus the instrumentation. */
const nullDestination = { write() {} };

/** The measured loop: `n` info records with one field; returns the elapsed nanoseconds. */
function timeRecords(logger, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) logger.info({ i }, 'request handled');
  return process.hrtime.bigint() - start;
}

function runFor(logger, n, minMillis) {
  const minNs = BigInt(minMillis) * 1_000_000n;
  let elapsed = 0n;
  let records = 0;
  do {
    elapsed += timeRecords(logger, n);
    records += n;
  } while (elapsed < minNs);
  return { nsPerRecord: Number(elapsed) / records, records };
}

async function main() {
  const setup = setups[variant];
  if (!setup) throw new Error(`unknown variant ${variant}; expected one of ${Object.keys(setups)}`);
  if (variant !== 'bare' && !baseUrl) throw new Error('BENCH_OTLP_URL is not set');
  const { flush, shutdown } = await setup();
  const api = await import('@opentelemetry/api');
  if (process.env.BENCH_DEBUG_DIAG) {
    api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.WARN);
  }
  const pino = require('pino');
  const logger = pino({}, nullDestination);

  // Every record is made inside one active span, as in a traced request handler.
  const span = api.trace.getTracer('bench').startSpan('request');
  const active = api.trace.setSpan(api.context.active(), span);
  const result = await api.context.with(active, async () => {
    // Sanity check (not timed): is the record correlated?
    const probe = [];
    pino({ level: 'info' }, { write: (line) => probe.push(line) }).info('probe');
    const correlated = JSON.parse(probe[0]).trace_id === span.spanContext().traceId;
    let recordsCreated = 1 + runFor(logger, warmup, minWarmupMillis).records;
    const nsPerRecord = [];
    const recordsPerSampleRun = [];
    for (let s = 0; s < samples; s++) {
      // Every sample starts with an empty export queue, no export in flight, and a fresh heap.
      await flush();
      await sleep(50);
      globalThis.gc?.();
      const sample = runFor(logger, recordsPerSample, minSampleMillis);
      nsPerRecord.push(sample.nsPerRecord);
      recordsPerSampleRun.push(sample.records);
      recordsCreated += sample.records;
    }
    return { correlated, nsPerRecord, recordsPerSampleRun, recordsCreated };
  });
  span.end();
  await shutdown();
  process.stdout.write(
    `${RESULT_PREFIX}${JSON.stringify({
      variant,
      correlated: result.correlated,
      samples: result.nsPerRecord,
      recordsPerSample: result.recordsPerSampleRun,
      recordsCreated: result.recordsCreated,
    })}\n`,
  );
}

async function importSightline(file) {
  try {
    return await import(new URL(`../../packages/node/dist/src/${file}`, import.meta.url).href);
  } catch (error) {
    throw new Error(
      `cannot import @sightline/node's ${file} (${error.message}); build it first: npm run build -w @sightline/node`,
    );
  }
}

await main();
