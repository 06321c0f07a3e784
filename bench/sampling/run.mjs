// Sampling costs, side by side in one run: (1) span start+end through the tail sampler vs the plain
// batch processor (and the hand-wired official SDK), in a tight loop (`burst`) and at a steady
// rate (`steady`); (2) heap at 10k spans/s with a 2 s decision wait vs the batch processor alone;
// (3) the head samplers' decision cost. Every variant runs in its own child process; the span-cost
// rounds interleave the variants in a rotating order.
//
//   node sampling/run.mjs [--quick] [--out FILE] [--rounds N]
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { fail, log, median, resultsPath, round2, round4 } from '../lib/common.mjs';
import { startOtlpSink } from '../lib/otlp-sink.mjs';

const run = promisify(execFile);
const here = import.meta.dirname;
const benchDir = path.dirname(here);
const CHILD = path.join(here, 'child.mjs');
const RESULT_PREFIX = 'BENCH_RESULT ';

const SPAN_VARIANTS = {
  official: 'official SDK 3.x, hand-wired: TracerProvider + BatchSpanProcessor + OTLP proto',
  sightline: 'Sightline init(), batch export processor only (tail sampling off)',
  'sightline-tail':
    'Sightline init() with tail sampling on (default policies and limits) in front of the same processor',
};

const FULL = {
  rounds: 3,
  // BENCH_QUEUE: every span of a sample fits in the export queue (a sample is at least 100k spans).
  burst: {
    BENCH_WARMUP: 20_000,
    BENCH_SAMPLES: 5,
    BENCH_TRACES: 25_000,
    BENCH_MIN_SAMPLE_MS: 100,
    BENCH_QUEUE: 400_000,
  },
  steady: { BENCH_RATE: 10_000, BENCH_WARMUP_SECONDS: 2, BENCH_SAMPLES: 5 },
  memory: {
    BENCH_RATE: 10_000,
    BENCH_SECONDS: 20,
    BENCH_DECISION_WAIT_MS: 2000,
    BENCH_MAX_SPANS: 40_000,
  },
  decision: { BENCH_DECISIONS: 1_000_000, BENCH_SAMPLES: 7 },
};
const QUICK = {
  rounds: 1,
  // At least 30 ms per sample: thread CPU time advances in scheduler ticks, so a shorter sample
  // can read 0 µs (a flaky smoke test once did).
  burst: {
    BENCH_WARMUP: 500,
    BENCH_SAMPLES: 2,
    BENCH_TRACES: 500,
    BENCH_MIN_SAMPLE_MS: 30,
    BENCH_QUEUE: 20_000,
  },
  steady: { BENCH_RATE: 4_000, BENCH_WARMUP_SECONDS: 0, BENCH_SAMPLES: 1 },
  memory: {
    BENCH_RATE: 4_000,
    BENCH_SECONDS: 2,
    BENCH_DECISION_WAIT_MS: 500,
    BENCH_MAX_SPANS: 4_000,
  },
  decision: { BENCH_DECISIONS: 10_000, BENCH_SAMPLES: 1 },
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const settings = args.quick ? QUICK : FULL;
const rounds = args.rounds ? Number(args.rounds) : settings.rounds;
if (!Number.isSafeInteger(rounds) || rounds <= 0) fail('--rounds must be a positive integer');
const outFile = resultsPath('sampling', args);
const sightlineEntry = path.resolve(benchDir, '..', 'packages', 'node', 'dist', 'src', 'index.js');
if (!existsSync(sightlineEntry))
  fail(`${sightlineEntry} is missing; build it first: npm run build -w @sightline/node`);

const sink = await startOtlpSink();
const started = Date.now();
const spanRuns = { burst: {}, steady: {} };
let memory;
let decision;
try {
  const names = Object.keys(SPAN_VARIANTS);
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const mode of ['burst', 'steady']) {
      for (const name of order) {
        const result = await runChild(name, { BENCH_MODE: mode, ...settings[mode] });
        spanRuns[mode][name] ??= [];
        spanRuns[mode][name].push(result);
        log(
          `  round ${round + 1}/${rounds} ${mode.padEnd(6)} ${name.padEnd(15)} ${fmt(median(result.samples))} ns/span`,
        );
      }
    }
  }
  memory = {};
  for (const name of ['memory-batch', 'memory-tail']) {
    memory[name] = await runChild(name, settings.memory);
    log(
      `  memory ${name}: heap growth ${mib(median(memory[name].heapGrowthBytes))} MiB (median of seconds)`,
    );
  }
  decision = await runChild('decision', settings.decision);
} finally {
  await sink.stop();
}

const report = buildReport();
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${formatTable(report)}`);
console.log(`\nWrote ${path.relative(process.cwd(), outFile) || outFile}`);

async function runChild(name, extraEnv) {
  sink.reset();
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('OTEL_') || key.startsWith('SIGHTLINE_')) delete env[key];
  Object.assign(
    env,
    { BENCH_OTLP_URL: sink.url },
    Object.fromEntries(Object.entries(extraEnv).map(([k, v]) => [k, String(v)])),
  );
  let stdout;
  let stderr;
  try {
    ({ stdout, stderr } = await run(process.execPath, ['--expose-gc', CHILD, name], {
      cwd: benchDir,
      env,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    fail(`variant ${name} failed: ${error.message}\n${error.stderr ?? ''}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) fail(`variant ${name} printed no result.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  const result = JSON.parse(line.slice(RESULT_PREFIX.length));
  return {
    ...result,
    spansReceived: sink.counts.spans,
    stderrLines: stderr.trim() ? stderr.trim().split('\n').length : 0,
  };
}

function buildReport() {
  const spanCost = {};
  for (const mode of ['burst', 'steady']) {
    spanCost[mode] = {};
    for (const [name, runs] of Object.entries(spanRuns[mode])) {
      const samples = runs.flatMap((r) => r.samples);
      const cpu = runs.flatMap((r) => r.cpuNsPerSpan ?? []);
      const wall = runs.flatMap((r) => r.wallNsPerSpan ?? []);
      spanCost[mode][name] = {
        description: SPAN_VARIANTS[name],
        wallMedian: round2(median(wall)),
        median: round2(median(samples)),
        min: round2(Math.min(...samples)),
        max: round2(Math.max(...samples)),
        samples: samples.map(round2),
        ...(cpu.length
          ? { cpuNsPerSpanMedian: round2(median(cpu)), cpuNsPerSpan: cpu.map(round2) }
          : {}),
        spansReceivedPerRun: runs.map((r) => r.spansReceived),
      };
    }
    const paired = (a, b, key = 'samples') =>
      round4(
        median(spanRuns[mode][a].map((r, i) => median(r[key]) / median(spanRuns[mode][b][i][key]))),
      );
    spanCost[mode].ratios = {
      'sightline-tail/sightline': round4(
        spanCost[mode]['sightline-tail'].median / spanCost[mode].sightline.median,
      ),
      'sightline-tail/official': round4(
        spanCost[mode]['sightline-tail'].median / spanCost[mode].official.median,
      ),
      'sightline/official': round4(
        spanCost[mode].sightline.median / spanCost[mode].official.median,
      ),
    };
    spanCost[mode].pairedRatios = {
      'sightline-tail/sightline': paired('sightline-tail', 'sightline'),
      ...(mode === 'steady'
        ? {
            'sightline-tail/sightline (process CPU)': paired(
              'sightline-tail',
              'sightline',
              'cpuNsPerSpan',
            ),
          }
        : {}),
    };
  }
  const tailMemory = memory['memory-tail'];
  const batchMemory = memory['memory-batch'];
  const growth = (m) => median(m.heapGrowthBytes.slice(Math.floor(m.heapGrowthBytes.length / 2)));
  const extraBytes = growth(tailMemory) - growth(batchMemory);
  const cpus = os.cpus();
  return {
    benchmark: 'sampling',
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      node: process.version,
      v8: process.versions.v8,
      platform: `${process.platform} ${os.release()}`,
      arch: process.arch,
      cpus: { count: cpus.length, model: cpus[0]?.model ?? 'unknown' },
      totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadavg: os.loadavg(),
    },
    settings: { mode: args.quick ? 'quick' : 'full', rounds, ...settings },
    spanCost: {
      unit: 'ns per span; burst: main-thread CPU (process.threadCpuUsage), steady: wall time of the median 10 ms tick; wallMedian: mean wall time; traces of 4 spans (a root and three children)',
      ...spanCost,
    },
    memory: {
      unit: 'bytes of heap after GC, above the heap before the load, once a second',
      ...memory,
      steadyStateHeapGrowthBytes: { batch: growth(batchMemory), tail: growth(tailMemory) },
      tailExtraBytes: extraBytes,
      tailExtraBytesPerBufferedSpan: tailMemory.maxBufferedSpans
        ? Math.round(extraBytes / tailMemory.maxBufferedSpans)
        : null,
      withinConfiguredBound: tailMemory.maxBufferedSpans <= tailMemory.maxSpans,
    },
    decision: {
      unit: 'ns per shouldSample',
      samplers: Object.fromEntries(
        Object.entries(decision.samplers).map(([name, s]) => [
          name,
          {
            root: round2(median(s.root)),
            child: round2(median(s.child)),
            rootSamples: s.root.map(round2),
            childSamples: s.child.map(round2),
          },
        ]),
      ),
    },
  };
}

function formatTable(report) {
  const lines = [
    `sampling — node ${report.machine.node}, ${report.machine.cpus.count}× ${report.machine.cpus.model}, ${report.date}`,
    '',
  ];
  for (const mode of ['burst', 'steady']) {
    const m = report.spanCost[mode];
    lines.push(
      `span start+end, ${mode}${mode === 'steady' ? ` (${report.settings.steady.BENCH_RATE} spans/s)` : ' (tight loop)'}: ${mode === 'steady' ? 'median-tick' : 'main-thread CPU'} ns/span median [min-max], wall${mode === 'steady' ? ', process CPU (all threads) per span' : ''}`,
    );
    for (const name of Object.keys(SPAN_VARIANTS)) {
      const v = m[name];
      lines.push(
        `  ${name.padEnd(15)} ${fmt(v.median).padStart(7)} [${fmt(v.min)}-${fmt(v.max)}]  wall ${fmt(v.wallMedian)}${v.cpuNsPerSpanMedian ? `  process ${fmt(v.cpuNsPerSpanMedian)}` : ''}`,
      );
    }
    lines.push(
      `  tail / batch: ${m.ratios['sightline-tail/sightline'].toFixed(2)}x (paired ${Object.entries(
        m.pairedRatios,
      )
        .map(([k, v]) => `${k} ${v.toFixed(2)}x`)
        .join(', ')})`,
      '',
    );
  }
  const mem = report.memory;
  lines.push(
    `memory at ${mem['memory-tail'].spansPerSecond} spans/s, ${mem['memory-tail'].decisionWaitMillis} ms decision wait, maxSpans ${mem['memory-tail'].maxSpans}:`,
    `  heap growth: batch ${mib(mem.steadyStateHeapGrowthBytes.batch)} MiB, tail ${mib(mem.steadyStateHeapGrowthBytes.tail)} MiB; max buffered spans ${mem['memory-tail'].maxBufferedSpans} (within bound: ${mem.withinConfiguredBound}); ~${mem.tailExtraBytesPerBufferedSpan} bytes per buffered span; evictions ${JSON.stringify(mem['memory-tail'].evictions)}`,
    '',
    'head sampler decision: ns per shouldSample (root / child)',
  );
  for (const [name, s] of Object.entries(report.decision.samplers))
    lines.push(`  ${name.padEnd(34)} ${fmt(s.root).padStart(6)} / ${fmt(s.child)}`);
  return lines.join('\n');
}

function fmt(ns) {
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(1);
}
function mib(bytes) {
  return (bytes / 2 ** 20).toFixed(1);
}
