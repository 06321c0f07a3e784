// Span start+end cost, four variants side by side in one run. Each variant runs in its own child
// process, one at a time; rounds interleave the variants (in a rotating order) so that drift on a
// noisy machine spreads over all of them. Both SDK variants export for real over OTLP
// http/protobuf to a local sink that counts what it received.
//
//   node span-start-end/run.mjs [--quick] [--out FILE] [--rounds N] [--samples N]
//                               [--spans N] [--warmup N] [--variants a,b,...] [--child]
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
  bare: 'OpenTelemetry API only, no SDK registered',
  official: 'official SDK 3.x, hand-wired: TracerProvider + BatchSpanProcessor + OTLP proto',
  sightline: 'Sightline init(), traces over OTLP proto, metrics and logs off',
  'sightline-disabled': 'Sightline init({ enabled: false })',
};

// A sample is whole chunks of `spans` spans until at least `minSampleMs` have passed: one chunk for
// the SDK variants, several for the no-op ones, whose 200k spans take only a few ms.
const FULL = {
  rounds: 5,
  samples: 5,
  spans: 200_000,
  warmup: 50_000,
  minWarmupMs: 500,
  minSampleMs: 100,
};
const QUICK = {
  rounds: 1,
  samples: 2,
  spans: 3_000,
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
    spans: { type: 'string' },
    warmup: { type: 'string' },
    variants: { type: 'string' },
    // Each span a child of one long-lived span (its trace continued, the parent-based sampler
    // following the parent), instead of a root span.
    child: { type: 'boolean', default: false },
  },
});
const defaults = args.quick ? QUICK : FULL;
const settings = {
  mode: args.quick ? 'quick' : 'full',
  spans: args.child ? 'children of one parent span' : 'root spans',
  rounds: intArg(args, 'rounds', defaults.rounds),
  samplesPerRun: intArg(args, 'samples', defaults.samples),
  spansPerSample: intArg(args, 'spans', defaults.spans),
  warmupSpans: intArg(args, 'warmup', defaults.warmup),
  minWarmupMillis: defaults.minWarmupMs,
  minSampleMillis: defaults.minSampleMs,
};
const variants = args.variants ? args.variants.split(',') : Object.keys(VARIANTS);
for (const name of variants) {
  if (!(name in VARIANTS)) fail(`unknown variant ${name}; expected ${Object.keys(VARIANTS)}`);
}
const outFile = resultsPath('span-start-end', args);

const sightlineEntry = path.resolve(benchDir, '..', 'packages', 'node', 'dist', 'src', 'index.js');
if (!existsSync(sightlineEntry)) {
  fail(`${sightlineEntry} is missing; build it first: npm run build -w @sightline/node`);
}

const sink = await startOtlpSink();
const runs = Object.fromEntries(variants.map((name) => [name, []]));
const started = Date.now();
try {
  log(
    `span start+end: ${variants.length} variants × ${settings.rounds} rounds, ` +
      `${settings.samplesPerRun} samples per run of ≥ ${fmtInt(settings.spansPerSample)} spans ` +
      `(≥ ${settings.minSampleMillis} ms) after ≥ ${fmtInt(settings.warmupSpans)} warm-up spans ` +
      `(≥ ${settings.minWarmupMillis} ms), node ${process.version}`,
  );
  for (let round = 0; round < settings.rounds; round++) {
    // Rotate the order each round so no variant always runs first (or right after another).
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const name of order) {
      const result = await runChild(name);
      runs[name].push({ round: round + 1, ...result });
      log(
        `  round ${round + 1}/${settings.rounds}  ${name.padEnd(18)} ` +
          `${fmtNs(median(result.samples)).padStart(8)} ns/span  ` +
          `(sink received ${fmtInt(result.spansReceived)} of ${fmtInt(result.spansCreated)} spans)`,
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
      BENCH_OTLP_URL: sink.url,
      BENCH_WARMUP: String(settings.warmupSpans),
      BENCH_SPANS: String(settings.spansPerSample),
      BENCH_SAMPLES: String(settings.samplesPerRun),
      BENCH_MIN_WARMUP_MS: String(settings.minWarmupMillis),
      BENCH_MIN_SAMPLE_MS: String(settings.minSampleMillis),
      BENCH_CHILD: args.child ? '1' : '',
    },
    {
      cwd: benchDir,
      timeout: 180_000,
    },
  );
  const expectRecording = name === 'official' || name === 'sightline';
  if (result.recording !== expectRecording) {
    fail(`variant ${name}: spans are ${result.recording ? '' : 'not '}recording, unexpectedly`);
  }
  if (sink.counts.errors > 0) {
    fail(
      `variant ${name}: the sink could not read ${sink.counts.errors} requests: ${sink.counts.lastError}`,
    );
  }
  return {
    samples: result.samples,
    spansPerSample: result.spansPerSample,
    spansCreated: result.spansCreated,
    spansReceived: sink.counts.spans,
    exportRequests: sink.counts.requests,
    abortedRequests: sink.counts.aborted + sink.counts.clientErrors,
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
        round: r.round,
        median: round2(median(r.samples)),
        samples: r.samples.map(round2),
        spansPerSample: r.spansPerSample,
        spansCreated: r.spansCreated,
        spansReceived: r.spansReceived,
        exportRequests: r.exportRequests,
        abortedRequests: r.abortedRequests,
        stderr: r.stderr,
      })),
      spansCreated: {
        total: sum(runs[name].map((r) => r.spansCreated)),
        perRunMedian: median(runs[name].map((r) => r.spansCreated)),
      },
      spansReceived: {
        total: sum(runs[name].map((r) => r.spansReceived)),
        perRunMedian: median(runs[name].map((r) => r.spansReceived)),
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
    benchmark: 'span-start-end',
    unit: 'ns per span (startSpan + end, root span, no attributes)',
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
        '@opentelemetry/api',
        '@opentelemetry/sdk-trace',
        '@opentelemetry/exporter-trace-otlp-proto',
        '@opentelemetry/context-async-hooks',
        '@sightline/node',
      ].map((name) => [name, packageVersion(name)]),
    ),
    settings: {
      ...settings,
      batch: 'defaults for both SDKs: maxExportBatchSize 512, maxQueueSize 2048, delay 5000 ms',
      note:
        'Each sample starts with a flushed queue; within a sample the queue fills after 2048 spans ' +
        'and both SDKs drop the rest, so spansReceived is far below spansCreated by design. A ' +
        'sample runs whole chunks of spansPerSample spans until minSampleMillis have passed.',
    },
    variants: perVariant,
    ratios,
    pairedRatios,
  };
}

function formatTable(report) {
  const header = [
    'variant',
    'ns/span (median)',
    'min',
    'max',
    'vs official',
    'vs bare',
    'spans received / created (per run)',
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
      `${fmtInt(v.spansReceived.perRunMedian)} / ${fmtInt(v.spansCreated.perRunMedian)}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const { machine, settings: s } = report;
  return [
    `span start+end — node ${machine.node}, ${machine.cpus.count}× ${machine.cpus.model}, ${report.date}`,
    `${s.rounds} rounds × ${s.samplesPerRun} samples per variant, each ≥ ${fmtInt(s.spansPerSample)} spans and ≥ ${s.minSampleMillis} ms (median/min/max over all samples)`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
