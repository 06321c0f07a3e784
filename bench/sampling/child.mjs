// One measurement of the sampling benchmark, alone in its own process.
// Usage: node --expose-gc child.mjs <variant>; settings come from BENCH_* environment variables.
//   span-cost variants (official, sightline, sightline-tail): BENCH_OTLP_URL, BENCH_WARMUP,
//     BENCH_SAMPLES, BENCH_TRACES (traces of 4 spans per sample), BENCH_MIN_SAMPLE_MS.
//   memory variants (memory-batch, memory-tail; hand-wired, see memory()): BENCH_OTLP_URL, BENCH_RATE (spans/s),
//     BENCH_SECONDS, BENCH_DECISION_WAIT_MS, BENCH_MAX_SPANS.
//   decision: BENCH_DECISIONS, BENCH_SAMPLES.
// Prints one line `BENCH_RESULT {json}`.
import { setTimeout as sleep } from 'node:timers/promises';

const RESULT_PREFIX = 'BENCH_RESULT ';
const variant = process.argv[2];
const env = (name) => {
  const value = Number(process.env[name]);
  if (process.env[name] === undefined || !Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${process.env[name]}`);
  return value;
};

/**
 * BENCH_QUEUE sizes the export queue: in `burst` it holds a whole sample, so no variant drops
 * spans at its door (a full queue costs nothing per span, which is no per-span cost to compare).
 */
function queueOption() {
  return process.env.BENCH_QUEUE ? { batch: { maxQueueSize: env('BENCH_QUEUE') } } : {};
}

async function sightline(tail, extra = {}) {
  const { trace } = await import('@opentelemetry/api');
  const { init } = await import('@sightline/node');
  const handle = init({
    service: { name: 'bench' },
    traces: {
      exporters: ['otlp'],
      otlp: { endpoint: process.env.BENCH_OTLP_URL },
      ...queueOption(),
      ...(tail ? { tail: { enabled: true, ...extra } } : {}),
    },
    metrics: { exporters: ['none'] },
    logs: { exporters: ['none'] },
    shutdown: { handleSignals: false },
  });
  if (!handle.enabled) throw new Error('init() returned a disabled handle');
  return {
    tracer: trace.getTracer('bench'),
    flush: () => handle.flush(),
    shutdown: () => handle.shutdown(),
  };
}

async function official() {
  const [{ context, trace }, { AsyncLocalStorageContextManager }, sdk, { OTLPTraceExporter }] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-proto'),
    ]);
  const provider = new sdk.TracerProvider({
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        // Its default queue even with BENCH_QUEUE: flushing a larger one makes the official exporter
        // reject with "Concurrent export limit reached". A reference only; it drops in `burst`.
        exporter: new OTLPTraceExporter({ url: process.env.BENCH_OTLP_URL }),
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: trace.getTracer('bench'),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** One trace: a root and three children (a server request with two queries and a cache call). */
async function traceShape() {
  const { trace, ROOT_CONTEXT } = await import('@opentelemetry/api');
  return (tracer) => {
    const root = tracer.startSpan('GET /orders');
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    tracer.startSpan('SELECT orders', undefined, ctx).end();
    tracer.startSpan('SELECT items', undefined, ctx).end();
    tracer.startSpan('GET cache', undefined, ctx).end();
    root.end();
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Main-thread CPU microseconds since `start`: unlike wall time, not inflated by other processes. */
function threadMicros(start) {
  const now = process.threadCpuUsage();
  return now.user - start.user + now.system - start.system;
}

/**
 * `burst` samples are main-thread CPU time per span (`process.threadCpuUsage()`, which includes
 * the GC work done on the main thread), so that other processes on a shared machine do not inflate
 * them; wall time is reported alongside. (Thread CPU time is too coarse for the short ticks of
 * `steady`, whose samples are the median tick's wall time instead.)
 * `burst` (BENCH_MODE): a tight loop of BENCH_TRACES traces per sample, never yielding, so nothing
 * is exported or decided by a timer meanwhile and the tail buffer stays full (every new trace
 * makes the oldest be decided inline): the worst case. `steady`: BENCH_RATE spans a second in 100
 * ticks a second, yielding between ticks so exports and the decision timer run; per 1-second
 * sample, the wall time per span inside the span loops of the median tick (hot path), the mean
 * over ticks, and the whole process's CPU time (all threads, everything: GC, timers, encoding).
 */
async function spanCost(setup) {
  const { tracer, flush, shutdown } = await setup();
  const oneTrace = await traceShape();
  const mode = process.env.BENCH_MODE ?? 'burst';
  const samples = [];
  const wall = [];
  const cpu = [];
  if (mode === 'burst') {
    const tracesPerSample = env('BENCH_TRACES');
    const minNs = BigInt(env('BENCH_MIN_SAMPLE_MS')) * 1_000_000n;
    for (let i = 0; i < env('BENCH_WARMUP'); i++) oneTrace(tracer);
    for (let s = 0; s < env('BENCH_SAMPLES'); s++) {
      await flush();
      await sleep(50);
      globalThis.gc?.();
      let elapsed = 0n;
      let cpuMicros = 0;
      let spans = 0;
      do {
        const cpuStart = process.threadCpuUsage();
        const start = process.hrtime.bigint();
        for (let i = 0; i < tracesPerSample; i++) oneTrace(tracer);
        elapsed += process.hrtime.bigint() - start;
        cpuMicros += threadMicros(cpuStart);
        spans += tracesPerSample * 4;
      } while (elapsed < minNs);
      samples.push((cpuMicros * 1000) / spans);
      wall.push(Number(elapsed) / spans);
    }
  } else {
    const tracesPerTick = Math.max(1, Math.round(env('BENCH_RATE') / 4 / 100));
    const warmupSeconds = env('BENCH_WARMUP_SECONDS');
    const seconds = warmupSeconds + env('BENCH_SAMPLES');
    const started = performance.now();
    let ticks = [];
    let cpuStart = process.cpuUsage();
    for (let tick = 0; tick < seconds * 100; tick++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < tracesPerTick; i++) oneTrace(tracer);
      ticks.push(Number(process.hrtime.bigint() - start) / (tracesPerTick * 4));
      await sleep(Math.max(0, started + (tick + 1) * 10 - performance.now()));
      if ((tick + 1) % 100 === 0) {
        const used = process.cpuUsage(cpuStart);
        if (tick + 1 > warmupSeconds * 100) {
          // The median tick: a tick in which the OS ran another process is an outlier, not the norm.
          samples.push(median(ticks));
          wall.push(ticks.reduce((a, b) => a + b, 0) / ticks.length);
          cpu.push(((used.user + used.system) * 1000) / (tracesPerTick * 4 * 100));
        }
        ticks = [];
        cpuStart = process.cpuUsage();
      }
    }
  }
  await shutdown();
  return { mode, samples, wallNsPerSpan: wall, cpuNsPerSpan: cpu };
}

/**
 * 10k spans/s (by default) in 100 ticks a second for BENCH_SECONDS, through a hand-wired provider:
 * the batch processor alone, or the tail sampler in front of it. Heap after GC once a second.
 */
async function memory(tail) {
  const [{ ROOT_CONTEXT, trace }, sdk, { OTLPTraceExporter }, { createTailSamplingProcessor }] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-proto'),
      import('@sightline/node'),
    ]);
  const decisionWaitMillis = env('BENCH_DECISION_WAIT_MS');
  const maxSpans = env('BENCH_MAX_SPANS');
  const batch = new sdk.BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: process.env.BENCH_OTLP_URL }),
  });
  const tailProcessor = tail
    ? createTailSamplingProcessor({
        next: batch,
        decisionWaitMillis,
        maxSpans,
        maxTraces: maxSpans,
        fallbackRatio: 0.1,
      })
    : undefined;
  const provider = new sdk.TracerProvider({ spanProcessors: [tailProcessor ?? batch] });
  const tracer = provider.getTracer('bench');
  const oneTrace = (t) => {
    const root = t.startSpan('GET /orders');
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    t.startSpan('SELECT orders', undefined, ctx).end();
    t.startSpan('SELECT items', undefined, ctx).end();
    t.startSpan('GET cache', undefined, ctx).end();
    root.end();
  };
  const rate = env('BENCH_RATE');
  const seconds = env('BENCH_SECONDS');
  const tracesPerTick = Math.round(rate / 4 / 100);
  globalThis.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  const heap = [];
  let maxBuffered = 0;
  const started = performance.now();
  for (let tick = 0; tick < seconds * 100; tick++) {
    for (let i = 0; i < tracesPerTick; i++) oneTrace(tracer);
    if (tailProcessor) maxBuffered = Math.max(maxBuffered, tailProcessor.bufferedSpans);
    // Pace to 100 ticks a second of wall time.
    const due = started + (tick + 1) * 10;
    await sleep(Math.max(0, due - performance.now()));
    if ((tick + 1) % 100 === 0) {
      globalThis.gc?.();
      heap.push(process.memoryUsage().heapUsed - baseline);
    }
  }
  const stats = tailProcessor?.stats;
  const result = {
    spansPerSecond: tracesPerTick * 4 * 100,
    seconds,
    decisionWaitMillis,
    maxSpans,
    heapGrowthBytes: heap,
    maxBufferedSpans: maxBuffered,
    evictions: stats ? { ...stats.evictions } : undefined,
    keptTraces: stats?.keptTotal,
    droppedTraces: stats?.dropped,
    elapsedSeconds: (performance.now() - started) / 1000,
  };
  await provider.shutdown();
  return result;
}

/** Head sampler decision cost: ns per shouldSample, for root and child spans, interleaved. */
async function decision() {
  const { ROOT_CONTEXT, SpanKind, TraceFlags, trace } = await import('@opentelemetry/api');
  const sdk = await import('@opentelemetry/sdk-trace');
  const { AdaptiveSampler, RulesSampler } = await import('@sightline/node');
  const ids = Array.from({ length: 1024 }, () =>
    Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join(''),
  );
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: ids[0],
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  const samplers = {
    'official parentbased_traceidratio': new sdk.ParentBasedSampler({
      root: new sdk.TraceIdRatioBasedSampler(0.1),
    }),
    sightline_adaptive: new AdaptiveSampler({ targetPerSecond: 100 }),
    'sightline_rules (3 rules)': new RulesSampler({
      rules: [
        { name: 'GET /health*', ratio: 0 },
        { kind: 'consumer', ratio: 0.5 },
        { route: '/api/*', ratio: 0.2 },
      ],
      defaultRatio: 0.1,
    }),
  };
  const attributes = { 'http.route': '/api/orders' };
  const n = env('BENCH_DECISIONS');
  // A child is sampled with its parent's trace id (the tracer continues the parent's trace), a
  // root with a new one.
  const time = (sampler, ctx) => {
    let sampled = 0;
    const parentTraceId = trace.getSpanContext(ctx)?.traceId;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const r = sampler.shouldSample(
        ctx,
        parentTraceId ?? ids[i & 1023],
        'GET /api/orders',
        SpanKind.SERVER,
        attributes,
        [],
      );
      sampled += r.decision;
    }
    const ns = Number(process.hrtime.bigint() - start) / n;
    if (sampled < 0) throw new Error('unreachable');
    return ns;
  };
  const results = {};
  for (const name of Object.keys(samplers)) results[name] = { root: [], child: [] };
  for (let s = 0; s < env('BENCH_SAMPLES') + 1; s++) {
    for (const [name, sampler] of Object.entries(samplers)) {
      const root = time(sampler, ROOT_CONTEXT);
      const child = time(sampler, parent);
      // The first round is the warm-up.
      if (s > 0) {
        results[name].root.push(root);
        results[name].child.push(child);
      }
    }
  }
  return { samplers: results };
}

const variants = {
  official: () => spanCost(official),
  sightline: () => spanCost(() => sightline(false)),
  'sightline-tail': () => spanCost(() => sightline(true)),
  'memory-batch': () => memory(false),
  'memory-tail': () => memory(true),
  decision,
};
if (!variants[variant])
  throw new Error(`unknown variant ${variant}; expected ${Object.keys(variants)}`);
const result = await variants[variant]();
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ variant, ...result })}\n`);
