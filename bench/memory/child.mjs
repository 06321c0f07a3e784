// One variant of the memory benchmark, alone in its own process.
// Usage: node --expose-gc child.mjs <variant>; settings from BENCH_* environment variables:
// BENCH_SAMPLES, BENCH_MIN_SAMPLE_MS (CPU ms per sample), BENCH_WARMUP_MS.
// Variants: bare | no-profiler | profiler-512k | profiler-32k (allocation-heavy workload, CPU time per
// iteration),
// tick (the cost of one snapshot tick, and of one heap snapshot).
// Prints one line `BENCH_RESULT {json}`.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const RESULT_PREFIX = 'BENCH_RESULT ';
const variant = process.argv[2];
const samples = Number(process.env.BENCH_SAMPLES ?? 5);
const minSampleMs = Number(process.env.BENCH_MIN_SAMPLE_MS ?? 300);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 500);
const memoryEntry = new URL('../../packages/node/dist/src/memory/index.js', import.meta.url);

/** An allocation-heavy unit of work: build a small object graph, serialise and parse it. */
function work(iterations) {
  let acc = 0;
  for (let i = 0; i < iterations; i++) {
    const order = {
      id: i,
      customer: `customer-${i % 1000}`,
      lines: [
        { sku: `sku-${i % 97}`, qty: (i % 5) + 1, price: 9.99 },
        { sku: `sku-${i % 89}`, qty: 1, price: 19.5 },
      ],
      tags: ['web', i % 2 ? 'promo' : 'regular'],
    };
    const text = JSON.stringify(order);
    acc += JSON.parse(text).lines.length + text.length;
  }
  return acc;
}

/** CPU ns per iteration over chunks of 2000 iterations until `ms` of CPU time have passed. */
function measure(ms) {
  const chunk = 2000;
  let iterations = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    work(chunk);
    iterations += chunk;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return (used * 1000) / iterations;
}

let result;
if (variant === 'tick') {
  const { startMemoryTelemetry } = await import(memoryEntry);
  // A live heap of ~50 MB, so the readings and the profile have something to look at.
  const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `live-${i}`, a: [i, i + 1] }));
  const { LeakDetector } = await import(memoryEntry);
  const telemetry = startMemoryTelemetry({ intervalMillis: 0 });
  // Detectors with full windows: 6 h of readings every 30 s, as after a day of running.
  const detectors = [0, 1, 2].map(() => {
    const d = new LeakDetector({ warmupMillis: 0 });
    for (let t = 30_000; t <= 6 * 3_600_000; t += 30_000) d.add(t, 1e8 + Math.sin(t / 1e6) * 1e6);
    return d;
  });
  const elapsed = (t0) => Number(process.hrtime.bigint() - t0) / 1e3;
  const ticks = [];
  const evaluations = [];
  for (let i = 0; i < 200; i++) {
    work(2000); // some allocation between ticks, so the profile has samples to take
    let t0 = process.hrtime.bigint();
    telemetry.tick();
    ticks.push(elapsed(t0));
    t0 = process.hrtime.bigint();
    for (const d of detectors) d.evaluate(6 * 3_600_000, 4 * 2 ** 30);
    evaluations.push(elapsed(t0));
  }
  const collects = [];
  for (let i = 0; i < 10; i++) {
    work(20_000);
    const t0 = process.hrtime.bigint();
    telemetry.profiler.collect();
    collects.push(elapsed(t0));
  }
  const reportStart = process.hrtime.bigint();
  telemetry.report();
  const reportMicros = elapsed(reportStart);
  telemetry.stop();
  globalThis.gc?.();
  const heapUsed = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const file = path.join(tmpdir(), `sightline-bench-${process.pid}.heapsnapshot`);
  const s0 = process.hrtime.bigint();
  writeHeapSnapshot(file);
  const snapshotMillis = Number(process.hrtime.bigint() - s0) / 1e6;
  const rssAfter = process.memoryUsage().rss;
  rmSync(file, { force: true });
  result = {
    tickMicros: ticks.sort((a, b) => a - b),
    evaluateMicros: evaluations.sort((a, b) => a - b),
    collectMicros: collects.sort((a, b) => a - b),
    reportMicros,
    heapSnapshot: {
      heapUsedBytes: heapUsed,
      pauseMillis: snapshotMillis,
      rssGrowthBytes: rssAfter - rssBefore,
    },
    live: live.length,
  };
} else {
  let telemetry;
  if (variant === 'profiler-512k' || variant === 'profiler-32k') {
    const { startMemoryTelemetry } = await import(memoryEntry);
    telemetry = startMemoryTelemetry(
      variant === 'profiler-32k' ? { profiler: { samplingIntervalBytes: 32 * 1024 } } : {},
    );
    if (!telemetry.profiler?.running) throw new Error('the profiler did not start');
  } else if (variant === 'no-profiler') {
    const { startMemoryTelemetry } = await import(memoryEntry);
    telemetry = startMemoryTelemetry({ profiler: false });
  } else if (variant !== 'bare') {
    throw new Error(`unknown variant ${variant}`);
  }
  measure(warmupMs);
  const values = [];
  for (let i = 0; i < samples; i++) {
    globalThis.gc?.();
    values.push(measure(minSampleMs));
  }
  const profileSamples = telemetry ? (telemetry.report().allocations?.samples ?? 0) : 0;
  telemetry?.stop();
  result = { samples: values, profileSamples };
}
console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
