// The leak detector's false-positive rate and detection times on deterministic synthetic series,
// with the default settings. Writes bench/results/memory-detector.json and the table between the
// `detector-study` markers in docs/memory.md. Deterministic: the same seeds give the same figures.
//
//   node memory/detector-study.mjs [--quick] [--out FILE] [--no-docs]
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const root = path.resolve(here, '..', '..');
const dist = path.join(root, 'packages', 'node', 'dist');
const detectorModule = path.join(dist, 'src', 'memory', 'leak-detector.js');
if (!existsSync(detectorModule)) {
  console.error(`${detectorModule} is missing; build first: npm run build -w @sightline/node`);
  process.exit(1);
}
const { LeakDetector } = await import(detectorModule);
const S = await import(path.join(dist, 'test', 'support', 'synthetic-memory.js'));

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const INTERVAL = 30_000;
const DURATION = args.quick ? 2 * S.HOUR : 6 * S.HOUR;
const LEAK_FREE = args.quick ? 10 : 250;
const PER_RATE = args.quick ? 3 : 40;
const RATES = [5, 20, 100, 500];

/** The leak-free families, each with randomised parameters from its own seed. */
const FAMILIES = {
  'independent noise': (r, seed) =>
    S.syntheticSeries({
      durationMillis: DURATION,
      intervalMillis: INTERVAL,
      noise: (0.5 + r.next() * 3) * S.MIB,
      seed,
    }),
  'autocorrelated noise': (r, seed) =>
    S.syntheticSeries({
      durationMillis: DURATION,
      intervalMillis: INTERVAL,
      noise: (0.5 + r.next() * 3) * S.MIB,
      phi: 0.5 + r.next() * 0.45,
      seed,
    }),
  'GC sawtooth': (r, seed) =>
    S.sawtoothSeries(seed, DURATION, INTERVAL, (0.5 + r.next() * 5) * S.MIB),
  'single level shift': (r, seed) =>
    S.syntheticSeries({
      durationMillis: DURATION,
      intervalMillis: INTERVAL,
      noise: (0.5 + r.next() * 2) * S.MIB,
      phi: r.next() * 0.8,
      stepAt: (0.5 + r.next() * 5) * S.HOUR,
      stepBytes: (10 + r.next() * 190) * S.MIB,
      seed,
    }),
  'warm-up plateau': (r, seed) =>
    S.syntheticSeries({
      durationMillis: DURATION,
      intervalMillis: INTERVAL,
      noise: (0.5 + r.next() * 2) * S.MIB,
      phi: r.next() * 0.8,
      warmupBytes: (20 + r.next() * 300) * S.MIB,
      warmupAt: (1 + r.next() * 3) * S.MINUTE,
      seed,
    }),
};

const started = Date.now();
const families = Object.keys(FAMILIES);
const falsePositives = Object.fromEntries(families.map((f) => [f, { series: 0, flagged: 0 }]));
for (let i = 0; i < LEAK_FREE; i++) {
  const family = families[i % families.length];
  const points = FAMILIES[family](S.createRandom(1000 + i), i);
  const run = S.runDetector(points, new LeakDetector());
  falsePositives[family].series++;
  if (run.detectedAt !== undefined) falsePositives[family].flagged++;
}
const flagged = Object.values(falsePositives).reduce((a, f) => a + f.flagged, 0);

const detection = {};
for (const rate of RATES) {
  const minutes = [];
  for (let i = 0; i < PER_RATE; i++) {
    const r = S.createRandom(5000 + i);
    const points = S.syntheticSeries({
      durationMillis: DURATION,
      intervalMillis: INTERVAL,
      noise: (0.5 + r.next() * 2) * S.MIB,
      phi: r.next() * 0.8,
      leakBytesPerHour: rate * S.MB,
      seed: 9000 + i,
    });
    const run = S.runDetector(points, new LeakDetector());
    minutes.push(run.detectedAt === undefined ? null : run.detectedAt / S.MINUTE);
  }
  const found = minutes.filter((m) => m !== null).sort((a, b) => a - b);
  detection[`${rate} MB/h`] = {
    series: PER_RATE,
    detected: found.length,
    minutes: {
      min: found[0] ?? null,
      median: quantile(found, 0.5),
      p90: quantile(found, 0.9),
      max: found[found.length - 1] ?? null,
    },
  };
}

const result = {
  benchmark: 'memory-detector',
  date: new Date().toISOString(),
  mode: args.quick ? 'quick' : 'full',
  durationSeconds: Math.round((Date.now() - started) / 1000),
  settings: {
    detector:
      'defaults (windows 30 min / 2 h / 6 h, warm-up 5 min, alpha 0.001, persistence 3 and 1/6 window)',
    readingIntervalSeconds: INTERVAL / 1000,
    seriesHours: DURATION / S.HOUR,
    leakFreeSeries: LEAK_FREE,
    seriesPerLeakRate: PER_RATE,
    note: 'MB = 10^6 bytes. Leaks start at t = 0, so detection times include the 5 min warm-up.',
  },
  falsePositives: {
    flagged,
    series: LEAK_FREE,
    rate: flagged / LEAK_FREE,
    byFamily: falsePositives,
  },
  detection,
};
const outFile = path.resolve(
  args.out ??
    path.join(
      root,
      'bench',
      'results',
      args.quick ? 'memory-detector.quick.local.json' : 'memory-detector.json',
    ),
);
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
const table = formatTable(result);
console.log(table);
if (!args.quick && !args['no-docs']) await updateDocs(table);
console.log(`\nWrote ${path.relative(process.cwd(), outFile)}`);

function formatTable(r) {
  const lines = [
    `False positives: **${r.falsePositives.flagged} of ${r.falsePositives.series}** leak-free series ` +
      `(${(r.falsePositives.rate * 100).toFixed(1)} %), each ${r.settings.seriesHours} h of readings every ${r.settings.readingIntervalSeconds} s:`,
    '',
    '| leak-free family | series | flagged |',
    '|---|---|---|',
    ...Object.entries(r.falsePositives.byFamily).map(
      ([f, v]) => `| ${f} | ${v.series} | ${v.flagged} |`,
    ),
    '',
    `Time to detection (minutes after the process started, warm-up included), ${r.settings.seriesPerLeakRate} series per rate:`,
    '',
    '| leak rate | detected | min | median | p90 | max |',
    '|---|---|---|---|---|---|',
    ...Object.entries(r.detection).map(
      ([rate, d]) =>
        `| ${rate} | ${d.detected} / ${d.series} | ${fmt(d.minutes.min)} | ${fmt(d.minutes.median)} | ${fmt(d.minutes.p90)} | ${fmt(d.minutes.max)} |`,
    ),
    '',
    `Generated by \`npm run study:memory -w bench\` (bench/memory/detector-study.mjs) on ${r.date.slice(0, 10)}.`,
  ];
  return lines.join('\n');
}

async function updateDocs(table) {
  const doc = path.join(root, 'docs', 'memory.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- detector-study:start -->';
  const end = '<!-- detector-study:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/memory.md lacks the ${start} … ${end} markers`);
  await writeFile(doc, `${text.slice(0, a + start.length)}\n${table}\n${text.slice(b)}`);
}

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function fmt(m) {
  return m === null ? '–' : m.toFixed(1);
}
