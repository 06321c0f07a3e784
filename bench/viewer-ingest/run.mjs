// Viewer ingest and query benchmark. The viewer runs in its own process; a separate load process sends
// OTLP/HTTP protobuf batches (1,000 spans each, acknowledged only after commit) until the store holds
// --spans spans, then this driver measures, over HTTP like the UI: trace by id, trace search, RED and the
// service map (p50/p95 of repeated queries), disk bytes per span and the viewer's CPU time per span.
// With --large N it keeps ingesting to N spans and measures again.
//
//   node viewer-ingest/run.mjs [--quick] [--out FILE] [--spans N] [--large N] [--concurrency N]
//                              [--cpu-prof DIR]   (writes the viewer process's .cpuprofile into DIR)
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const benchDir = path.dirname(here);
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    spans: { type: 'string' },
    large: { type: 'string' },
    concurrency: { type: 'string' },
    repeats: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const quick = args.quick;
const settings = {
  mode: quick ? 'quick' : 'full',
  spans: Number(args.spans ?? (quick ? 20_000 : 1_000_000)),
  large: args.large ? Number(args.large) : null,
  concurrency: Number(args.concurrency ?? 8),
  repeats: Number(args.repeats ?? (quick ? 2 : 20)),
  lookups: quick ? 10 : 200,
};

function cpuSeconds(pid) {
  // utime + stime of the viewer process, from /proc (Linux); null elsewhere
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function peakRssBytes(pid) {
  // VmHWM: the viewer process's peak resident set so far (Linux); null elsewhere
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x) => (x === null ? null : Math.round(x * 100) / 100);
  return {
    n: s.length,
    p50Ms: r(percentile(s, 0.5)),
    p95Ms: r(percentile(s, 0.95)),
    maxMs: r(s[s.length - 1]),
  };
}

async function timed(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  return { ms, body };
}

async function startServer(dataDir) {
  const prof = args['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'])}`]
    : [];
  const child = spawn(process.execPath, [...prof, path.join(here, 'server.mjs'), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: benchDir,
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`viewer exited with ${code}`)));
  });
  return { child, ...JSON.parse(line) };
}

async function load(url, spans, runTag, firstRequest) {
  const child = spawn(
    process.execPath,
    [
      path.join(here, 'load.mjs'),
      url,
      String(spans),
      String(settings.concurrency),
      String(runTag),
      String(firstRequest),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: benchDir },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`load process failed (${code}): ${out.slice(0, 500)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

const SEARCHES = [
  'limit=20',
  'service=payments&limit=20',
  'service=checkout&operation=PlaceOrder&limit=20',
  'minDurationMs=5&limit=20',
  'status=error&limit=20',
  'attr=user.id=user-42&limit=20',
];

async function measureQueries(url, sampleIds) {
  const ids = [];
  for (let i = 0; i < settings.lookups; i++) ids.push(sampleIds[(i * 7919) % sampleIds.length]);
  const byId = [];
  for (const id of ids) {
    const { ms, body } = await timed(`${url}/api/traces/${id}`);
    if (JSON.parse(body).spanCount !== 10) throw new Error(`trace ${id} is not complete`);
    byId.push(ms);
  }
  const search = [];
  const perSearch = {};
  for (const q of SEARCHES) {
    const ms = [];
    for (let i = 0; i < settings.repeats; i++) ms.push((await timed(`${url}/api/traces?${q}`)).ms);
    perSearch[q] = summary(ms);
    search.push(...ms);
  }
  const red = [];
  const map = [];
  for (let i = 0; i < Math.max(2, settings.repeats / 4); i++) {
    red.push((await timed(`${url}/api/red`)).ms);
    map.push((await timed(`${url}/api/service-map`)).ms);
  }
  const stats = JSON.parse((await timed(`${url}/api/stats`)).body);
  return {
    storedSpans: stats.stored.spans,
    traceById: summary(byId),
    search: summary(search),
    searchByQuery: perSearch,
    red: summary(red),
    serviceMap: summary(map),
    disk: {
      fileBytes: stats.stored.fileBytes,
      walBytes: stats.stored.walBytes,
      usedBytes: stats.stored.diskBytes,
      bytesPerSpan:
        Math.round(((stats.stored.fileBytes + stats.stored.walBytes) / stats.stored.spans) * 10) /
        10,
    },
  };
}

async function ingestPhase(server, spans, runTag, firstRequest) {
  const cpu0 = cpuSeconds(server.pid);
  const r = await load(server.httpUrl, spans, runTag, firstRequest);
  const cpu1 = cpuSeconds(server.pid);
  const cpu = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
  return {
    spans: r.spans,
    seconds: Math.round(r.seconds * 100) / 100,
    spansPerSecond: Math.round(r.spansPerSecond),
    viewerCpuSeconds: cpu,
    spansPerViewerCpuSecond: cpu ? Math.round(r.spans / cpu) : null,
    refusedRequests: r.refused,
    viewerPeakRssBytes: peakRssBytes(server.pid),
    requestBytes: r.bytesPerRequest,
    samples: r.samples,
    nextRequest: r.nextRequest,
  };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sightline-bench-viewer-'));
const server = await startServer(dataDir);
const result = {
  benchmark: 'viewer-ingest',
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: { count: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown' },
    loadAverage: os.loadavg(),
    totalMemBytes: os.totalmem(),
  },
  settings,
  phases: [],
};
try {
  const first = await ingestPhase(server, settings.spans, 1, 0);
  const q1 = await measureQueries(server.httpUrl, first.samples);
  const { samples: s1, nextRequest: _n1, ...ingest1 } = first;
  result.phases.push({ stored: q1.storedSpans, ingest: ingest1, ...q1 });
  if (settings.large && settings.large > settings.spans) {
    const second = await ingestPhase(server, settings.large - settings.spans, 2, 0);
    const q2 = await measureQueries(server.httpUrl, [...s1, ...second.samples]);
    const { samples: _s2, nextRequest: _n2, ...ingest2 } = second;
    result.phases.push({ stored: q2.storedSpans, ingest: ingest2, ...q2 });
  }
  result.machine.loadAverageAfter = os.loadavg();
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

const out =
  args.out ??
  path.join(benchDir, 'results', quick ? 'viewer-ingest.local.json' : 'viewer-ingest.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);

console.log(
  `viewer-ingest (${settings.mode}), node ${process.version}, ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  'stored spans | ingest spans/s | spans/viewer-CPU-s | by id p50/p95 ms | search p50/p95 ms | RED p50/p95 ms | map p50/p95 ms | bytes/span',
);
for (const p of result.phases) {
  console.log(
    [
      p.stored,
      p.ingest.spansPerSecond,
      p.ingest.spansPerViewerCpuSecond ?? '-',
      `${p.traceById.p50Ms}/${p.traceById.p95Ms}`,
      `${p.search.p50Ms}/${p.search.p95Ms}`,
      `${p.red.p50Ms}/${p.red.p95Ms}`,
      `${p.serviceMap.p50Ms}/${p.serviceMap.p95Ms}`,
      p.disk.bytesPerSpan,
    ].join(' | '),
  );
}
console.log(`results: ${path.relative(process.cwd(), out)}`);
