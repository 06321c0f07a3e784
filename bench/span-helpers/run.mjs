// Span helper overhead, side by side: withSpan vs the raw tracer.startActiveSpan, a domain family
// helper vs withSpan, and the no-op path with no SDK registered. Variants run interleaved inside
// one process per mode; ratios are taken per sample pair, then the median.
//
//   node span-helpers/run.mjs [--quick] [--out FILE]
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { resultsPath } from '../lib/common.mjs';
import { startOtlpSink } from '../lib/otlp-sink.mjs';

const run = promisify(execFile);
const here = import.meta.dirname;
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const settings = args.quick
  ? { ops: 2_000, samples: 2, warmupMs: 0, rounds: 1 }
  : { ops: 100_000, samples: 9, warmupMs: 1500, rounds: 3 };
const out = resultsPath('span-helpers', args);

const sink = await startOtlpSink();
const runs = { sdk: [], noop: [] };
try {
  for (let round = 0; round < settings.rounds; round++) {
    for (const mode of round % 2 ? ['noop', 'sdk'] : ['sdk', 'noop']) {
      const env = {
        PATH: process.env.PATH,
        BENCH_MODE: mode,
        BENCH_OTLP_URL: sink.url,
        BENCH_OPS: String(settings.ops),
        BENCH_SAMPLES: String(settings.samples),
        BENCH_WARMUP_MS: String(settings.warmupMs),
      };
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', path.join(here, 'child.mjs')],
        { env, maxBuffer: 1 << 24 },
      );
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (!line) throw new Error(`no result from the ${mode} child:\n${stdout}`);
      runs[mode].push(JSON.parse(line.slice('BENCH_RESULT '.length)).results);
      process.stderr.write(`  round ${round + 1}/${settings.rounds} ${mode} done\n`);
    }
  }
} finally {
  await sink.stop();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const pooled = (mode, name) => runs[mode].flatMap((r) => r[name] ?? []);
/** Median over all sample pairs (same process, adjacent in time) of a / b. */
const pairedRatio = (mode, a, b) =>
  median(runs[mode].flatMap((r) => (r[a] && r[b] ? r[a].map((x, i) => x / r[b][i]) : [])));

const rows = [];
for (const mode of ['sdk', 'noop']) {
  for (const name of Object.keys(runs[mode][0] ?? {})) {
    rows.push({ mode, variant: name, nsPerOp: Math.round(median(pooled(mode, name)) * 10) / 10 });
  }
}
const comparisons = [
  ['sdk', 'withSpan', 'startActiveSpan', 1.1],
  ['sdk', 'withSpan+attrs', 'startActiveSpan+attrs', 1.1],
  ['sdk', 'family', 'withSpan+attrs', 1.1],
  ['sdk', 'family-no-metrics', 'withSpan+attrs', 1.1],
  ['noop', 'withSpan', 'startActiveSpan', undefined],
]
  .filter(([mode, a, b]) => runs[mode][0]?.[a] && runs[mode][0]?.[b])
  .map(([mode, a, b, target]) => ({
    mode,
    ratio: `${a} / ${b}`,
    value: Math.round(pairedRatio(mode, a, b) * 1000) / 1000,
    target,
  }));

const report = {
  benchmark: 'span-helpers',
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'unknown'}`,
  settings,
  rows,
  comparisons,
  noopWithSpanNs: rows.find((r) => r.mode === 'noop' && r.variant === 'withSpan')?.nsPerOp,
  raw: runs,
};
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);

const lines = [`span helpers — node ${process.version}, ${report.cpus}, ${report.date}`, ''];
lines.push('mode  variant                      ns/op (median)');
for (const r of rows)
  lines.push(`${r.mode.padEnd(5)} ${r.variant.padEnd(28)} ${String(r.nsPerOp).padStart(10)}`);
lines.push('', 'ratio (median of paired samples)                      value   target');
for (const c of comparisons)
  lines.push(
    `${c.mode.padEnd(5)} ${c.ratio.padEnd(46)} ${c.value.toFixed(3).padStart(7)}   ${c.target ? `≤ ${c.target}` : ''}`,
  );
lines.push(
  `noop  withSpan: ${report.noopWithSpanNs} ns/call (target < 100 ns)`,
  '',
  `Wrote ${path.relative(process.cwd(), out)}`,
);
process.stdout.write(`${lines.join('\n')}\n`);
