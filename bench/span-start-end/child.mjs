// One variant of the span start+end benchmark, alone in its own process so that no other
// variant's globals (registered providers, context manager, JIT feedback) can affect it.
// Usage: node --expose-gc child.mjs <variant>; settings come from BENCH_* environment variables:
// BENCH_OTLP_URL, BENCH_WARMUP and BENCH_MIN_WARMUP_MS (warm-up: at least that many spans and ms),
// BENCH_SAMPLES, BENCH_SPANS and BENCH_MIN_SAMPLE_MS (each sample: whole chunks of BENCH_SPANS
// spans until at least BENCH_MIN_SAMPLE_MS have passed).
// Prints one line `BENCH_RESULT {json}` with the ns/span of every sample.

import { setTimeout as sleep } from 'node:timers/promises';
import { nonNegativeInt, positiveInt } from '../lib/common.mjs';

const RESULT_PREFIX = 'BENCH_RESULT ';

const variant = process.argv[2];
const url = process.env.BENCH_OTLP_URL;
const warmup = positiveInt('BENCH_WARMUP');
const spansPerSample = positiveInt('BENCH_SPANS');
const samples = positiveInt('BENCH_SAMPLES');
const minWarmupMillis = nonNegativeInt('BENCH_MIN_WARMUP_MS');
const minSampleMillis = nonNegativeInt('BENCH_MIN_SAMPLE_MS');

/** Each setup registers what its variant needs and returns the tracer plus flush/shutdown hooks. */
const setups = {
  /** The OpenTelemetry API alone: no SDK registered, so every span is the API's no-op span. */
  async bare() {
    const { trace } = await import('@opentelemetry/api');
    return { tracer: trace.getTracer('bench'), flush: async () => {}, shutdown: async () => {} };
  },

  /** The official SDK 3.x, wired by hand the way its README shows, exporting OTLP http/protobuf. */
  async official() {
    const [{ context, trace }, { AsyncLocalStorageContextManager }, sdk, { OTLPTraceExporter }] =
      await Promise.all([
        import('@opentelemetry/api'),
        import('@opentelemetry/context-async-hooks'),
        import('@opentelemetry/sdk-trace'),
        import('@opentelemetry/exporter-trace-otlp-proto'),
      ]);
    const provider = new sdk.TracerProvider({
      // 3.x takes an options object; batch settings left at their defaults (512 / 2048 / 5000 ms).
      spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
    });
    const registered = [
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()),
      trace.setGlobalTracerProvider(provider),
    ];
    if (registered.includes(false)) throw new Error('official: global registration failed');
    return {
      tracer: trace.getTracer('bench'),
      flush: () => provider.forceFlush(),
      shutdown: () => provider.shutdown(),
    };
  },

  /** Sightline with traces over OTLP http/protobuf, metrics and logs off. */
  async sightline() {
    const { trace } = await import('@opentelemetry/api');
    const { init } = await importSightline();
    const handle = init({
      service: { name: 'bench' },
      traces: { exporters: ['otlp'], otlp: { endpoint: url } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    if (!handle.enabled) throw new Error('sightline: init() returned a disabled handle');
    return {
      tracer: trace.getTracer('bench'),
      flush: () => handle.flush(),
      shutdown: () => handle.shutdown(),
    };
  },

  /** Sightline turned off: nothing is registered, so this should cost what `bare` costs. */
  async 'sightline-disabled'() {
    const { trace } = await import('@opentelemetry/api');
    const { init } = await importSightline();
    const handle = init({ enabled: false });
    if (handle.enabled) throw new Error('sightline-disabled: init() returned an enabled handle');
    return {
      tracer: trace.getTracer('bench'),
      flush: () => handle.flush(),
      shutdown: () => handle.shutdown(),
    };
  },
};

/**
 * The measured loop: starts and ends `n` spans, root spans or (BENCH_CHILD=1) children of the
 * context `parent` holds; returns the elapsed nanoseconds.
 */
function timeSpans(tracer, n, parent) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) tracer.startSpan('op', undefined, parent).end();
  return process.hrtime.bigint() - start;
}

/**
 * Runs `n` spans at a time until at least `minMillis` have passed, so that cheap variants (a no-op
 * span costs a few ns) are timed over long enough to rise above timer and scheduler noise.
 */
function runFor(tracer, n, minMillis, parent) {
  const minNs = BigInt(minMillis) * 1_000_000n;
  let elapsed = 0n;
  let spans = 0;
  do {
    elapsed += timeSpans(tracer, n, parent);
    spans += n;
  } while (elapsed < minNs);
  return { nsPerSpan: Number(elapsed) / spans, spans };
}

async function main() {
  const setup = setups[variant];
  if (!setup) throw new Error(`unknown variant ${variant}; expected one of ${Object.keys(setups)}`);
  if ((variant === 'official' || variant === 'sightline') && !url) {
    throw new Error('BENCH_OTLP_URL is not set');
  }
  const { tracer, flush, shutdown } = await setup();
  if (process.env.BENCH_DEBUG_DIAG) {
    // Investigation only: shows the SDKs' own errors (e.g. failed exports) on stderr.
    const { diag, DiagConsoleLogger, DiagLogLevel } = await import('@opentelemetry/api');
    diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  }

  // Sanity check (not timed): the SDK variants record, the others hand out no-op spans.
  const probe = tracer.startSpan('probe');
  const recording = probe.isRecording();
  probe.end();
  let spansCreated = 1;

  let parent;
  if (process.env.BENCH_CHILD === '1') {
    const { ROOT_CONTEXT, trace } = await import('@opentelemetry/api');
    parent = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent'));
  }

  // Warm up long enough for the JIT's optimising tier (compiled on a background thread) to land.
  spansCreated += runFor(tracer, warmup, minWarmupMillis, parent).spans;

  const results = [];
  const spansPerSampleRun = [];
  for (let s = 0; s < samples; s++) {
    // Every sample starts from the same state: an empty export queue, no export in flight (the
    // official forceFlush() does not wait for an export its 512-span trigger already started), and
    // a fresh heap.
    await flush();
    await sleep(50);
    globalThis.gc?.();
    const { nsPerSpan, spans } = runFor(tracer, spansPerSample, minSampleMillis, parent);
    results.push(nsPerSpan);
    spansPerSampleRun.push(spans);
    spansCreated += spans;
  }
  await shutdown();

  const result = {
    variant,
    recording,
    samples: results,
    spansPerSample: spansPerSampleRun,
    spansCreated,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

async function importSightline() {
  try {
    return await import('@sightline/node');
  } catch (error) {
    throw new Error(
      `cannot import @sightline/node (${error.message}); build it first: npm run build -w @sightline/node`,
    );
  }
}

await main();
