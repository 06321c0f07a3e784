// One variant of the arena benchmark, alone in its own process so that no other variant's JIT
// feedback, globals or garbage can affect it.
// Usage: node --expose-gc child.mjs <variant>; settings come from BENCH_* environment variables:
// BENCH_OTLP_URL / BENCH_OTLP_METRICS_URL (the sink), BENCH_BATCH (allocations per batch),
// BENCH_BATCHES (batches per sample), BENCH_SAMPLES, BENCH_MIN_WARMUP_MS, BENCH_BUDGET_NS.
// Prints one line `BENCH_RESULT {json}`: per sample, the mean ns/allocation and the min, max and
// sum, median and 99th percentile of the batch means, and how many batches had a mean above
// the budget.

import { setTimeout as sleep } from 'node:timers/promises';
import { nonNegativeInt, positiveInt } from '../lib/common.mjs';

const RESULT_PREFIX = 'BENCH_RESULT ';

const variant = process.argv[2];
const tracesUrl = process.env.BENCH_OTLP_URL;
const metricsUrl = process.env.BENCH_OTLP_METRICS_URL;
const batch = positiveInt('BENCH_BATCH');
const batches = positiveInt('BENCH_BATCHES');
const samples = positiveInt('BENCH_SAMPLES');
const minWarmupMillis = nonNegativeInt('BENCH_MIN_WARMUP_MS');
const budgetNs = Number(process.env.BENCH_BUDGET_NS ?? 7);

// The same object sizes for every variant: 1024 pseudo-random sizes from 8 to 96 bytes (a parser's
// mix of headers, small strings and records), mean ≈ 52 bytes.
const SIZES = new Int32Array(1024);
let seed = 12345;
for (let i = 0; i < SIZES.length; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  SIZES[i] = 8 + (seed % 89);
}
const CAPACITY = 1 << 20; // one batch (≈ 560 KB with padding) fits; reset after each batch

/** The floor: a bump pointer over an ArrayBuffer, 8-byte aligned, -1 when full. No checks. */
class BareBump {
  constructor(capacity) {
    this.top = 0;
    this.limit = capacity;
    this.buffer = new ArrayBuffer(capacity);
  }
  alloc(size) {
    const top = this.top;
    const off = top + (-top & 7);
    const end = off + size;
    if (end > this.limit) return -1;
    this.top = end;
    return off;
  }
  reset() {
    this.top = 0;
  }
}

/** The floor plus the arena's input check (a size that is not a positive integer is rejected). */
class CheckedBump extends BareBump {
  alloc(size) {
    const top = this.top;
    const off = top + (-top & 7);
    const end = off + size;
    if ((size | 0) !== size || size <= 0 || end > this.limit) return this.slow(size);
    this.top = end;
    return off;
  }
  slow(size) {
    if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`bad size ${size}`);
    return -1;
  }
}

/** Every variant returns { run(n) → checksum, check() → facts, flush(), shutdown() }. */
const setups = {
  async bare() {
    return bumpLoop(new BareBump(CAPACITY));
  },

  async 'bare-checked'() {
    return bumpLoop(new CheckedBump(CAPACITY));
  },

  /** The arena with every telemetry flag off: counters only. */
  async 'arena-off'() {
    const { Arena } = await import('@sightline/arena');
    return arenaLoop(new Arena({ name: 'bench', capacity: CAPACITY, telemetry: false }));
  },

  /** Metrics only, through Sightline init() exporting OTLP to the sink. */
  async 'arena-metrics'() {
    const handle = await initSightline();
    const { Arena } = await import('@sightline/arena');
    const arena = new Arena({ name: 'bench', capacity: CAPACITY, telemetry: { metrics: true } });
    return { ...arenaLoop(arena), flush: () => handle.flush(), shutdown: () => handle.shutdown() };
  },

  /** Every flag on at the default sampling rate, through init() exporting traces and metrics. */
  async 'arena-all'() {
    const handle = await initSightline();
    const { Arena } = await import('@sightline/arena');
    const arena = new Arena({ name: 'bench', capacity: CAPACITY, telemetry: true });
    return { ...arenaLoop(arena), flush: () => handle.flush(), shutdown: () => handle.shutdown() };
  },

  /** Every flag on, with a pattern scope open around each batch (the cost of pattern tracing). */
  async 'arena-pattern'() {
    const handle = await initSightline();
    const { Arena } = await import('@sightline/arena');
    const arena = new Arena({ name: 'bench', capacity: CAPACITY, telemetry: true });
    const loop = arenaLoop(arena, (n) => {
      const scope = arena.pattern('bench-batch');
      let acc = 0;
      for (let i = 0; i < n; i++) acc = (acc + arena.alloc(SIZES[i & 1023])) | 0;
      scope.end();
      arena.reset();
      return acc;
    });
    return { ...loop, flush: () => handle.flush(), shutdown: () => handle.shutdown() };
  },

  /** The arena (telemetry off) plus a Uint8Array view of every allocation. */
  async 'arena-view'() {
    const { Arena } = await import('@sightline/arena');
    const arena = new Arena({ name: 'bench', capacity: CAPACITY, telemetry: false });
    const keep = new Array(batch);
    return arenaLoop(arena, (n) => {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const size = SIZES[i & 1023];
        const view = arena.bytes(arena.alloc(size), size);
        keep[i] = view;
        acc = (acc + view.byteOffset) | 0;
      }
      arena.reset();
      return acc;
    });
  },

  /** What users do without an arena: a fresh Uint8Array per object, kept for the batch. */
  async uint8array() {
    const keep = new Array(batch);
    return {
      run(n) {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const bytes = new Uint8Array(SIZES[i & 1023]);
          keep[i] = bytes;
          acc = (acc + bytes.length) | 0;
        }
        return acc;
      },
      check: () => ({}),
      flush: async () => {},
      shutdown: async () => {},
    };
  },
};

function bumpLoop(bump) {
  return {
    run(n) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc = (acc + bump.alloc(SIZES[i & 1023])) | 0;
      bump.reset();
      return acc;
    },
    check: () => ({}),
    flush: async () => {},
    shutdown: async () => {},
  };
}

function arenaLoop(arena, run) {
  return {
    run:
      run ??
      ((n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc = (acc + arena.alloc(SIZES[i & 1023])) | 0;
        arena.reset();
        return acc;
      }),
    check: () => {
      const s = arena.stats();
      return { allocations: s.allocations, samples: s.samples, failures: s.failures };
    },
    flush: async () => {},
    shutdown: async () => {},
  };
}

async function initSightline() {
  if (!tracesUrl || !metricsUrl)
    throw new Error('BENCH_OTLP_URL and BENCH_OTLP_METRICS_URL must be set');
  const { init } = await import('@sightline/node');
  const handle = init({
    service: { name: 'bench-arena' },
    traces: { exporters: ['otlp'], otlp: { endpoint: tracesUrl } },
    metrics: { exporters: ['otlp'], otlp: { endpoint: metricsUrl }, exportIntervalMillis: 60_000 },
    logs: { exporters: ['none'] },
    shutdown: { handleSignals: false },
  });
  if (!handle.enabled) throw new Error('init() returned a disabled handle');
  return handle;
}

/** One sample: `batches` timed batches of `batch` allocations; stats of the per-batch means. */
function sample(loop) {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let over = 0;
  let totalNs = 0n;
  let checksum = 0;
  const means = new Float64Array(batches);
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    checksum ^= loop.run(batch);
    const elapsed = process.hrtime.bigint() - start;
    totalNs += elapsed;
    const mean = Number(elapsed) / batch;
    means[b] = mean;
    sum += mean;
    if (mean < min) min = mean;
    if (mean > max) max = mean;
    if (mean > budgetNs) over++;
  }
  means.sort();
  return {
    nsPerAlloc: Number(totalNs) / (batch * batches),
    // The median batch is robust to the scheduler preempting a few batches on a busy machine.
    batchMeanMedian: means[Math.floor(batches / 2)],
    batchMeanP99: means[Math.min(batches - 1, Math.floor(batches * 0.99))],
    batchMeanMin: min,
    batchMeanMax: max,
    batchMeanSum: sum,
    batches,
    batchesOverBudget: over,
    checksum,
  };
}

async function main() {
  const setup = setups[variant];
  if (!setup) throw new Error(`unknown variant ${variant}; expected one of ${Object.keys(setups)}`);
  const loop = await setup();
  // Warm up past the optimising JIT tier: at least 200 batches and minWarmupMillis.
  const warmStart = performance.now();
  let warm = 0;
  while (warm < 200 || performance.now() - warmStart < minWarmupMillis) {
    loop.run(batch);
    warm++;
  }
  const results = [];
  for (let s = 0; s < samples; s++) {
    // Every sample starts from the same state: telemetry flushed (metrics collected and exported,
    // spans sent), and a fresh heap.
    await loop.flush();
    await sleep(20);
    globalThis.gc?.();
    results.push(sample(loop));
  }
  await loop.flush();
  const facts = loop.check();
  await loop.shutdown();
  process.stdout.write(
    `${RESULT_PREFIX}${JSON.stringify({ variant, warmupBatches: warm, samples: results, facts })}\n`,
  );
}

await main();
