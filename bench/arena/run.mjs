// Arena allocation cost, side by side in one run: a bare bump pointer, the arena with telemetry
// off, metrics only, and everything on at the default sampling rate, plus `new Uint8Array(n)` per
// object (what users do without an arena). Each variant runs in its own child process, one at a
// time; rounds interleave the variants (in a rotating order) so drift on a noisy machine spreads
// over all of them. The telemetry variants export for real, through Sightline init(), over OTLP
// http/protobuf to a local sink.
//
//   node arena/run.mjs [--quick] [--out FILE] [--rounds N] [--samples N] [--batch N]
//                      [--batches N] [--variants a,b,...]
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  fail,
  fmtInt,
  fmtNs,
  intArg,
  log,
  median,
  packageVersion,
  resultsPath,
  round3,
  round4,
  runVariantChild,
} from '../lib/common.mjs';
import { startOtlpSink } from '../lib/otlp-sink.mjs';

const _run = promisify(execFile);
const here = import.meta.dirname;
const benchDir = path.dirname(here);
const CHILD = path.join(here, 'child.mjs');
/** The per-allocation budget the system description asks for ("7 ticks"), in ns. */
const BUDGET_NS = 7;

const VARIANTS = {
  bare: 'a bump pointer over an ArrayBuffer, 8-byte aligned, no checks, no counters: the floor',
  'bare-checked': 'bare plus the arena’s size check (positive integer), to split the overhead',
  'arena-off': '@sightline/arena, telemetry: false (counters only)',
  'arena-metrics': '@sightline/arena, metrics only, init() exporting OTLP',
  'arena-all': '@sightline/arena, telemetry: true (all flags) at the default sampling rate 2^-19',
  'arena-pattern': 'arena-all with a pattern scope open around every batch',
  'arena-view': 'arena-off plus arena.bytes(offset, size) for every allocation',
  uint8array: '`new Uint8Array(size)` per object, kept alive for the batch',
};
const TELEMETRY = new Set(['arena-metrics', 'arena-all', 'arena-pattern']);

const FULL = { rounds: 5, samples: 5, batch: 10_000, batches: 1_000, minWarmupMs: 500 };
const QUICK = { rounds: 1, samples: 1, batch: 1_000, batches: 20, minWarmupMs: 0 };

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    rounds: { type: 'string' },
    samples: { type: 'string' },
    batch: { type: 'string' },
    batches: { type: 'string' },
    variants: { type: 'string' },
  },
});
const defaults = args.quick ? QUICK : FULL;
const settings = {
  mode: args.quick ? 'quick' : 'full',
  rounds: intArg(args, 'rounds', defaults.rounds),
  samplesPerRun: intArg(args, 'samples', defaults.samples),
  allocationsPerBatch: intArg(args, 'batch', defaults.batch),
  batchesPerSample: intArg(args, 'batches', defaults.batches),
  minWarmupMillis: defaults.minWarmupMs,
  budgetNs: BUDGET_NS,
};
const variants = args.variants ? args.variants.split(',') : Object.keys(VARIANTS);
for (const name of variants) {
  if (!(name in VARIANTS)) fail(`unknown variant ${name}; expected ${Object.keys(VARIANTS)}`);
}
const outFile = resultsPath('arena', args);
for (const pkg of ['node', 'arena']) {
  const entry = path.resolve(benchDir, '..', 'packages', pkg, 'dist', 'src', 'index.js');
  if (!existsSync(entry))
    fail(`${entry} is missing; build it first: npm run build -w packages/${pkg}`);
}

const sink = await startOtlpSink();
const runs = Object.fromEntries(variants.map((name) => [name, []]));
const started = Date.now();
try {
  log(
    `arena allocation: ${variants.length} variants × ${settings.rounds} rounds, ` +
      `${settings.samplesPerRun} samples per run of ${fmtInt(settings.batchesPerSample)} batches × ` +
      `${fmtInt(settings.allocationsPerBatch)} allocations, node ${process.version}`,
  );
  for (let round = 0; round < settings.rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const name of order) {
      const result = await runChild(name);
      runs[name].push({ round: round + 1, ...result });
      log(
        `  round ${round + 1}/${settings.rounds}  ${name.padEnd(14)} ` +
          `${fmtNs(meanOf(result.samples)).padStart(7)} ns/alloc`,
      );
    }
  }
} finally {
  await sink.stop();
}

const report = buildReport();
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${formatTable(report)}`);
console.log(`\nWrote ${path.relative(process.cwd(), outFile) || outFile}`);

async function runChild(name) {
  sink.reset();
  const { result, stderr } = await runVariantChild(
    CHILD,
    name,
    {
      BENCH_OTLP_URL: sink.url,
      BENCH_OTLP_METRICS_URL: sink.metricsUrl,
      BENCH_BATCH: String(settings.allocationsPerBatch),
      BENCH_BATCHES: String(settings.batchesPerSample),
      BENCH_SAMPLES: String(settings.samplesPerRun),
      BENCH_MIN_WARMUP_MS: String(settings.minWarmupMillis),
      BENCH_BUDGET_NS: String(BUDGET_NS),
    },
    {
      cwd: benchDir,
      timeout: 300_000,
    },
  );
  if (sink.counts.errors > 0) {
    fail(
      `variant ${name}: the sink could not read ${sink.counts.errors} requests: ${sink.counts.lastError}`,
    );
  }
  const arenaMetricsArrived = Boolean(
    sink.counts.lastMetricBody?.includes('sightline.arena.allocations'),
  );
  if (TELEMETRY.has(name) && !arenaMetricsArrived) {
    fail(`variant ${name}: no sightline.arena.* metrics reached the sink`);
  }
  return {
    samples: result.samples,
    warmupBatches: result.warmupBatches,
    facts: result.facts,
    spansReceived: sink.counts.spans,
    metricRequests: sink.counts.metricRequests,
    arenaMetricsArrived,
    stderr,
  };
}

/** The pooled mean ns/allocation of a run's samples (every sample has the same allocations). */
function meanOf(samples) {
  return samples.reduce((a, s) => a + s.nsPerAlloc, 0) / samples.length;
}

function buildReport() {
  const perVariant = {};
  for (const name of variants) {
    const all = runs[name].flatMap((r) => r.samples);
    const batchCount = all.reduce((a, s) => a + s.batches, 0);
    perVariant[name] = {
      description: VARIANTS[name],
      meanNsPerAlloc: round3(meanOf(all)),
      medianSampleNsPerAlloc: round3(median(all.map((s) => s.nsPerAlloc))),
      batchMeans: {
        min: round3(Math.min(...all.map((s) => s.batchMeanMin))),
        avg: round3(all.reduce((a, s) => a + s.batchMeanSum, 0) / batchCount),
        max: round3(Math.max(...all.map((s) => s.batchMeanMax))),
        // Median over samples of each sample's median batch: what a batch costs when not preempted.
        median: round3(median(all.map((s) => s.batchMeanMedian))),
        p99: round3(median(all.map((s) => s.batchMeanP99))),
      },
      batches: batchCount,
      shareOfBatchesOverBudget: round4(
        all.reduce((a, s) => a + s.batchesOverBudget, 0) / batchCount,
      ),
      runs: runs[name].map((r) => ({
        round: r.round,
        meanNsPerAlloc: round3(meanOf(r.samples)),
        samples: r.samples.map((s) => ({
          nsPerAlloc: round3(s.nsPerAlloc),
          batchMeanMedian: round3(s.batchMeanMedian),
          batchMeanP99: round3(s.batchMeanP99),
          batchMeanMin: round3(s.batchMeanMin),
          batchMeanMax: round3(s.batchMeanMax),
          batchesOverBudget: s.batchesOverBudget,
        })),
        warmupBatches: r.warmupBatches,
        facts: r.facts,
        spansReceived: r.spansReceived,
        metricRequests: r.metricRequests,
        arenaMetricsArrived: r.arenaMetricsArrived,
        stderr: r.stderr,
      })),
    };
  }
  // `ratios`: of the pooled means (the table). `pairedRatios`: the median over rounds of the ratio
  // of the two variants' means in the same round, which cancels slow drift.
  const ratios = {};
  const pairedRatios = {};
  for (const name of variants) {
    for (const base of ['bare', 'arena-off']) {
      if (!perVariant[base] || name === base) continue;
      ratios[`${name}/${base}`] = round4(
        perVariant[name].meanNsPerAlloc / perVariant[base].meanNsPerAlloc,
      );
      pairedRatios[`${name}/${base}`] = round4(
        median(runs[name].map((r, i) => meanOf(r.samples) / meanOf(runs[base][i].samples))),
      );
    }
  }
  // The same from the median batches, which a busy machine's preemptions barely move.
  const medianRatios = {};
  for (const name of variants) {
    for (const base of ['bare', 'arena-off']) {
      if (!perVariant[base] || name === base) continue;
      const med = (r) => median(r.samples.map((s) => s.batchMeanMedian));
      medianRatios[`${name}/${base}`] = round4(
        median(runs[name].map((r, i) => med(r) / med(runs[base][i]))),
      );
    }
  }
  const targets = {};
  if (perVariant['arena-all']) {
    const mean = perVariant['arena-all'].meanNsPerAlloc;
    targets['arena-all mean ≤ 7 ns/allocation'] = { value: mean, met: mean <= BUDGET_NS };
    const medianBatch = perVariant['arena-all'].batchMeans.median;
    targets['arena-all median batch ≤ 7 ns/allocation'] = {
      value: medianBatch,
      met: medianBatch <= BUDGET_NS,
    };
    // "1.3x the bare arena" can be read two ways; both are checked.
    if (perVariant['arena-off']) {
      const ratio = pairedRatios['arena-all/arena-off'];
      targets['arena-all ≤ 1.3x arena-off (paired means)'] = { value: ratio, met: ratio <= 1.3 };
    }
    if (perVariant.bare) {
      const ratio = pairedRatios['arena-all/bare'];
      targets['arena-all ≤ 1.3x bare (paired means)'] = { value: ratio, met: ratio <= 1.3 };
      const medianRatio = medianRatios['arena-all/bare'];
      targets['arena-all ≤ 1.3x bare (paired median batches)'] = {
        value: medianRatio,
        met: medianRatio <= 1.3,
      };
    }
  }
  const cpus = os.cpus();
  return {
    benchmark: 'arena',
    unit: 'ns per allocation (mean over batches of allocations, reset after each batch)',
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      node: process.version,
      v8: process.versions.v8,
      platform: `${process.platform} ${os.release()}`,
      arch: process.arch,
      cpus: { count: cpus.length, model: cpus[0]?.model ?? 'unknown' },
      availableParallelism: os.availableParallelism(),
      totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadavg: os.loadavg(),
    },
    packages: Object.fromEntries(
      ['@opentelemetry/api', '@sightline/node', '@sightline/arena'].map((n) => [
        n,
        packageVersion(n),
      ]),
    ),
    settings: {
      ...settings,
      sizes: '1024 pseudo-random sizes from 8 to 96 bytes (mean ≈ 52), the same for every variant',
      capacity:
        '1 MiB fixed arena, reset() after every batch (the reset is inside the timed batch)',
    },
    variants: perVariant,
    ratios,
    pairedRatios,
    medianRatios,
    targets,
  };
}

function formatTable(report) {
  const header = [
    'variant',
    'mean ns/alloc',
    'batch min',
    'avg',
    'median',
    'max',
    '> 7 ns',
    'vs bare',
    'vs arena-off',
    'median vs bare',
  ];
  const rows = variants.map((name) => {
    const v = report.variants[name];
    const ratio = (base) => {
      const r = report.pairedRatios[`${name}/${base}`];
      return r === undefined ? '-' : `${r.toFixed(2)}x`;
    };
    return [
      name,
      fmtNs(v.meanNsPerAlloc),
      fmtNs(v.batchMeans.min),
      fmtNs(v.batchMeans.avg),
      fmtNs(v.batchMeans.median),
      fmtNs(v.batchMeans.max),
      `${(v.shareOfBatchesOverBudget * 100).toFixed(1)} %`,
      name === 'bare' ? '1.00x' : ratio('bare'),
      name === 'arena-off' ? '1.00x' : ratio('arena-off'),
      name === 'bare' ? '1.00x' : `${report.medianRatios[`${name}/bare`].toFixed(2)}x`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const { machine, settings: s } = report;
  const targets = Object.entries(report.targets).map(
    ([name, t]) => `  ${t.met ? 'met    ' : 'MISSED '} ${name}: ${t.value}`,
  );
  return [
    `arena allocation — node ${machine.node}, ${machine.cpus.count}× ${machine.cpus.model}, ${report.date}`,
    `${s.rounds} rounds × ${s.samplesPerRun} samples × ${fmtInt(s.batchesPerSample)} batches of ${fmtInt(s.allocationsPerBatch)} allocations per variant; ratios paired by round (of means, and of median batches)`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(targets.length ? ['', 'targets:', ...targets] : []),
  ].join('\n');
}
