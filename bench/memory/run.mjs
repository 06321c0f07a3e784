// Memory telemetry cost, side by side in one run: CPU time per iteration of an allocation-heavy
// workload with no telemetry (`bare`), with the memory telemetry at its defaults (sampling profiler at
// 512 KiB), and with the profiler at 32 KiB; plus the cost of one snapshot tick and of one heap
// snapshot. Each variant runs in its own child process; rounds interleave the variants in a rotating
// order so drift on a noisy machine spreads over all of them.
//
//   node memory/run.mjs [--quick] [--out FILE] [--rounds N] [--samples N] [--no-docs]
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { log, median, resultsPath, round2 } from '../lib/common.mjs';

const run = promisify(execFile);
const here = import.meta.dirname;
const benchDir = path.dirname(here);
const root = path.dirname(benchDir);
const CHILD = path.join(here, 'child.mjs');
const RESULT_PREFIX = 'BENCH_RESULT ';
const VARIANTS = {
  bare: 'the workload alone',
  'no-profiler':
    'startMemoryTelemetry({ profiler: false }): runtime gauges, GC observer, leak monitor',
  'profiler-512k':
    'startMemoryTelemetry() defaults: runtime gauges, leak monitor, sampling profiler at 512 KiB',
  'profiler-32k': 'the same with the sampling profiler at 32 KiB',
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    rounds: { type: 'string' },
    samples: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const settings = {
  mode: args.quick ? 'quick' : 'full',
  rounds: Number(args.rounds ?? (args.quick ? 1 : 7)),
  samplesPerRun: Number(args.samples ?? (args.quick ? 2 : 5)),
  minSampleCpuMillis: args.quick ? 50 : 400,
  warmupCpuMillis: args.quick ? 50 : 800,
};
const outFile = resultsPath('memory', args);

const variants = Object.keys(VARIANTS);
const runs = Object.fromEntries(variants.map((v) => [v, []]));
const started = Date.now();
log(`memory: ${variants.length} variants × ${settings.rounds} rounds, node ${process.version}`);
for (let round = 0; round < settings.rounds; round++) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  for (const name of order) {
    const result = await runChild(name);
    runs[name].push(result);
    log(
      `  round ${round + 1}  ${name.padEnd(14)} ${median(result.samples).toFixed(0)} ns CPU/iteration`,
    );
  }
}
const tick = await runChild('tick');

const perVariant = {};
for (const name of variants) {
  const samples = runs[name].flatMap((r) => r.samples);
  perVariant[name] = {
    description: VARIANTS[name],
    medianNsPerIteration: round2(median(samples)),
    min: round2(Math.min(...samples)),
    max: round2(Math.max(...samples)),
    samples: samples.map(round2),
    profileSamplesPerRun: runs[name].map((r) => r.profileSamples),
  };
}
// Overhead: the median over rounds of (variant / bare - 1) within the same round, which cancels drift.
const overhead = {};
for (const name of variants.filter((v) => v !== 'bare')) {
  const perRound = runs[name].map((r, i) => median(r.samples) / median(runs.bare[i].samples) - 1);
  overhead[name] = {
    pairedMedianPercent: round2(median(perRound) * 100),
    perRoundPercent: perRound.map((x) => round2(x * 100)),
    pooledPercent: round2(
      (perVariant[name].medianNsPerIteration / perVariant.bare.medianNsPerIteration - 1) * 100,
    ),
  };
}
const ticks = tick.tickMicros;
const report = {
  benchmark: 'memory',
  unit: 'CPU ns per workload iteration (process.cpuUsage user+system)',
  date: new Date().toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine: {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()}`,
    cpus: { count: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown' },
    loadavg: os.loadavg(),
  },
  settings,
  variants: perVariant,
  overhead,
  tick: {
    description:
      'one startMemoryTelemetry().tick() between profile reads: a reading and three detector evaluations',
    medianMicros: round2(median(ticks)),
    p90Micros: round2(ticks[Math.floor(ticks.length * 0.9)]),
    maxMicros: round2(ticks[ticks.length - 1]),
    fullWindowEvaluationMicros: round2(median(tick.evaluateMicros)),
    profileReadMedianMicros: round2(median(tick.collectMicros)),
    profileReadMaxMicros: round2(tick.collectMicros[tick.collectMicros.length - 1]),
    reportMicros: round2(tick.reportMicros),
  },
  heapSnapshot: tick.heapSnapshot,
};
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
const table = formatTable(report);
console.log(`\n${table}\n\nWrote ${path.relative(process.cwd(), outFile)}`);
if (!args.quick && !args['no-docs']) updateDocs(table);

async function runChild(name) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('OTEL_') || key.startsWith('SIGHTLINE_')) delete env[key];
  }
  Object.assign(env, {
    BENCH_SAMPLES: String(settings.samplesPerRun),
    BENCH_MIN_SAMPLE_MS: String(settings.minSampleCpuMillis),
    BENCH_WARMUP_MS: String(settings.warmupCpuMillis),
  });
  let stdout;
  try {
    ({ stdout } = await run(process.execPath, ['--expose-gc', CHILD, name], {
      cwd: benchDir,
      env,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    console.error(`bench: variant ${name} failed: ${error.message}\n${error.stderr ?? ''}`);
    process.exit(1);
  }
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) {
    console.error(`bench: variant ${name} printed no result:\n${stdout}`);
    process.exit(1);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length));
}

function formatTable(r) {
  const rows = variants.map((name) => {
    const v = r.variants[name];
    const o = r.overhead[name];
    return `| \`${name}\` | ${v.medianNsPerIteration.toFixed(0)} | ${v.min.toFixed(0)}–${v.max.toFixed(0)} | ${
      o
        ? `${o.pairedMedianPercent.toFixed(2)} % (rounds: ${o.perRoundPercent.map((x) => x.toFixed(1)).join(', ')})`
        : '–'
    } |`;
  });
  const h = r.heapSnapshot;
  return [
    `Measured on ${r.machine.cpus.count}× ${r.machine.cpus.model}, node ${r.machine.node}, ${r.date.slice(0, 10)}, ` +
      `${r.settings.rounds} interleaved rounds × ${r.settings.samplesPerRun} samples of ≥ ${r.settings.minSampleCpuMillis} ms CPU ` +
      '(`npm run bench -w bench`, results in `bench/results/memory.json`):',
    '',
    '| variant | CPU ns / iteration (median) | min–max | overhead vs bare (median of per-round ratios) |',
    '|---|---|---|---|',
    ...rows,
    '',
    `One snapshot tick (a reading and three detector evaluations): median ${r.tick.medianMicros.toFixed(0)} µs, ` +
      `p90 ${r.tick.p90Micros.toFixed(0)} µs, max ${r.tick.maxMicros.toFixed(0)} µs; the three evaluations with full 6 h windows ` +
      `(720 readings each): ${r.tick.fullWindowEvaluationMicros.toFixed(0)} µs. Reading the allocation profile (every 5 min by ` +
      `default; the inspector forces a full GC) on a ~${(r.heapSnapshot.heapUsedBytes / 2 ** 20).toFixed(0)} MiB heap: median ` +
      `${(r.tick.profileReadMedianMicros / 1000).toFixed(1)} ms, max ${(r.tick.profileReadMaxMicros / 1000).toFixed(1)} ms. ` +
      `A full \`report()\` (which reads the profile): ${(r.tick.reportMicros / 1000).toFixed(1)} ms.`,
    '',
    `One heap snapshot of a ${(h.heapUsedBytes / 2 ** 20).toFixed(0)} MiB heap paused the process for ${h.pauseMillis.toFixed(0)} ms ` +
      `and grew RSS by ${(h.rssGrowthBytes / 2 ** 20).toFixed(0)} MiB.`,
  ].join('\n');
}

function updateDocs(table) {
  const doc = path.join(root, 'docs', 'memory.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- profiler-bench:start -->';
  const end = '<!-- profiler-bench:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/memory.md lacks the ${start} markers`);
  return writeFile(doc, `${text.slice(0, a + start.length)}\n${table}\n${text.slice(b)}`);
}
