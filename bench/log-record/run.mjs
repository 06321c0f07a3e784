// The cost of one pino log call inside a span, four variants side by side in one run. Each variant
// runs in its own child process, one at a time; rounds interleave the variants (in a rotating
// order) so that drift on a noisy machine spreads over all of them. The variants that send records
// export them for real over OTLP http/protobuf to a local sink that counts what it received.
//
//   node log-record/run.mjs [--quick] [--out FILE] [--rounds N] [--samples N]
//                           [--records N] [--warmup N] [--variants a,b,...]
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
  round2,
  round4,
  runVariantChild,
  sum,
} from '../lib/common.mjs';
import { startOtlpSink } from '../lib/otlp-sink.mjs';

const _run = promisify(execFile);
const here = import.meta.dirname;
const benchDir = path.dirname(here);
const CHILD = path.join(here, 'child.mjs');

const VARIANTS = {
  bare: 'pino alone, no instrumentation, no SDK',
  official:
    'contrib instrumentation-pino defaults + hand-wired TracerProvider and LoggerProvider (BatchLogRecordProcessor + OTLP proto)',
  sightline:
    'Sightline init() + createPinoInstrumentation(): correlation and log bridge over OTLP proto',
  'sightline-correlation': 'Sightline init() + createPinoInstrumentation({ sending: false })',
};
const SENDING = new Set(['official', 'sightline']);

const FULL = {
  rounds: 5,
  samples: 5,
  records: 20_000,
  warmup: 20_000,
  minWarmupMs: 500,
  minSampleMs: 100,
};
const QUICK = {
  rounds: 1,
  samples: 2,
  records: 2_000,
  warmup: 1_000,
  minWarmupMs: 0,
  minSampleMs: 0,
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    rounds: { type: 'string' },
    samples: { type: 'string' },
    records: { type: 'string' },
    warmup: { type: 'string' },
    variants: { type: 'string' },
  },
});
const defaults = args.quick ? QUICK : FULL;
const settings = {
  mode: args.quick ? 'quick' : 'full',
  rounds: intArg(args, 'rounds', defaults.rounds),
  samplesPerRun: intArg(args, 'samples', defaults.samples),
  recordsPerSample: intArg(args, 'records', defaults.records),
  warmupRecords: intArg(args, 'warmup', defaults.warmup),
  minWarmupMillis: defaults.minWarmupMs,
  minSampleMillis: defaults.minSampleMs,
};
const variants = args.variants ? args.variants.split(',') : Object.keys(VARIANTS);
for (const name of variants) {
  if (!(name in VARIANTS)) fail(`unknown variant ${name}; expected ${Object.keys(VARIANTS)}`);
}
const outFile = resultsPath('log-record', args);
const entry = path.resolve(benchDir, '..', 'packages', 'node', 'dist', 'src', 'index.js');
if (!existsSync(entry))
  fail(`${entry} is missing; build it first: npm run build -w @sightline/node`);

const sink = await startOtlpSink();
const runs = Object.fromEntries(variants.map((name) => [name, []]));
const started = Date.now();
try {
  log(
    `log record: ${variants.length} variants × ${settings.rounds} rounds, ` +
      `${settings.samplesPerRun} samples per run of ≥ ${fmtInt(settings.recordsPerSample)} records ` +
      `(≥ ${settings.minSampleMillis} ms) after ≥ ${fmtInt(settings.warmupRecords)} warm-up records, ` +
      `node ${process.version}`,
  );
  for (let round = 0; round < settings.rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const name of order) {
      const result = await runChild(name);
      runs[name].push({ round: round + 1, ...result });
      log(
        `  round ${round + 1}/${settings.rounds}  ${name.padEnd(21)} ` +
          `${fmtNs(median(result.samples)).padStart(8)} ns/record  ` +
          `(sink received ${fmtInt(result.recordsReceived)} of ${fmtInt(result.recordsCreated)} records)`,
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

/** Runs one variant in a fresh process and attributes what the sink received meanwhile to it. */
async function runChild(name) {
  sink.reset();
  const { result, stderr } = await runVariantChild(
    CHILD,
    name,
    {
      BENCH_OTLP_URL: sink.baseUrl,
      BENCH_WARMUP: String(settings.warmupRecords),
      BENCH_RECORDS: String(settings.recordsPerSample),
      BENCH_SAMPLES: String(settings.samplesPerRun),
      BENCH_MIN_WARMUP_MS: String(settings.minWarmupMillis),
      BENCH_MIN_SAMPLE_MS: String(settings.minSampleMillis),
    },
    {
      cwd: benchDir,
      timeout: 180_000,
    },
  );
  if (result.correlated !== (name !== 'bare')) {
    fail(`variant ${name}: records are ${result.correlated ? '' : 'not '}correlated, unexpectedly`);
  }
  if (sink.counts.errors > 0) {
    fail(
      `variant ${name}: the sink could not read ${sink.counts.errors} requests: ${sink.counts.lastError}`,
    );
  }
  if (SENDING.has(name) !== sink.counts.logs > 0) {
    fail(`variant ${name}: the sink received ${sink.counts.logs} records, unexpectedly`);
  }
  return {
    samples: result.samples,
    recordsPerSample: result.recordsPerSample,
    recordsCreated: result.recordsCreated,
    recordsReceived: sink.counts.logs,
    exportRequests: sink.counts.requests,
    stderr,
  };
}

function buildReport() {
  const perVariant = {};
  for (const name of variants) {
    const samples = runs[name].flatMap((r) => r.samples).map(round2);
    perVariant[name] = {
      description: VARIANTS[name],
      median: median(samples),
      min: Math.min(...samples),
      max: Math.max(...samples),
      samples,
      runs: runs[name].map((r) => ({
        ...r,
        median: round2(median(r.samples)),
        samples: r.samples.map(round2),
      })),
      recordsCreated: {
        total: sum(runs[name].map((r) => r.recordsCreated)),
        perRunMedian: median(runs[name].map((r) => r.recordsCreated)),
      },
      recordsReceived: {
        total: sum(runs[name].map((r) => r.recordsReceived)),
        perRunMedian: median(runs[name].map((r) => r.recordsReceived)),
      },
    };
  }
  // `ratios`: of the pooled medians (the table). `pairedRatios`: the median over rounds of the
  // ratio of the two variants' run medians in the same round, which cancels slow drift.
  const ratios = {};
  const pairedRatios = {};
  for (const name of variants) {
    for (const base of ['official', 'bare']) {
      if (!perVariant[base]) continue;
      const ratio = round4(perVariant[name].median / perVariant[base].median);
      perVariant[name][base === 'official' ? 'ratioVsOfficial' : 'ratioVsBare'] = ratio;
      if (name === base) continue;
      ratios[`${name}/${base}`] = ratio;
      pairedRatios[`${name}/${base}`] = round4(
        median(runs[name].map((r, i) => median(r.samples) / median(runs[base][i].samples))),
      );
    }
  }
  const cpus = os.cpus();
  return {
    benchmark: 'log-record',
    unit: "ns per record (pino logger.info({ i }, 'request handled') inside an active span, null destination)",
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
      [
        'pino',
        '@opentelemetry/api',
        '@opentelemetry/instrumentation-pino',
        '@opentelemetry/sdk-logs',
        '@opentelemetry/exporter-logs-otlp-proto',
        '@sightline/node',
      ].map((name) => [name, packageVersion(name)]),
    ),
    settings: {
      ...settings,
      batch: 'defaults for both SDKs: maxExportBatchSize 512, maxQueueSize 2048, delay 1000 ms',
      note:
        'Each sample starts with a flushed queue; within a sample the queue fills after 2048 records ' +
        'and both SDKs drop the rest, so recordsReceived is far below recordsCreated by design. A ' +
        'sample runs whole chunks of recordsPerSample records until minSampleMillis have passed.',
    },
    variants: perVariant,
    ratios,
    pairedRatios,
  };
}

function formatTable(report) {
  const header = [
    'variant',
    'ns/record (median)',
    'min',
    'max',
    'vs official',
    'vs bare',
    'records received / created (per run)',
  ];
  const rows = variants.map((name) => {
    const v = report.variants[name];
    return [
      name,
      fmtNs(v.median),
      fmtNs(v.min),
      fmtNs(v.max),
      v.ratioVsOfficial === undefined ? '-' : `${v.ratioVsOfficial.toFixed(2)}x`,
      v.ratioVsBare === undefined ? '-' : `${v.ratioVsBare.toFixed(2)}x`,
      `${fmtInt(v.recordsReceived.perRunMedian)} / ${fmtInt(v.recordsCreated.perRunMedian)}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const { machine, settings: s } = report;
  return [
    `log record — node ${machine.node}, ${machine.cpus.count}× ${machine.cpus.model}, ${report.date}`,
    `${s.rounds} rounds × ${s.samplesPerRun} samples per variant, each ≥ ${fmtInt(s.recordsPerSample)} records and ≥ ${s.minSampleMillis} ms (median/min/max over all samples)`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
