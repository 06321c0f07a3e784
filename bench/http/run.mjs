// HTTP server overhead, side by side in one run: a hello-world node:http server and a small JSON
// API doing one PostgreSQL query per request, loaded with autocannon from this (driver) process
// while the server runs alone in a child process and the OTLP sink it exports to in another (so that
// decoding the exported spans does not slow the load generator's thread). Variants:
//   bare       no telemetry at all
//   sightline  `node --import @sightline/node/register` (its defaults: every request traced and
//              exported over OTLP http/protobuf to the local sink from the app's thread, metrics
//              exported too)
//   sightline-http  the same, with only the HTTP instrumentation enabled: the same work as `official`
//   official   the official SDK + @opentelemetry/instrumentation-http, exporting traces the same way
//   auto       the official SDK + @opentelemetry/auto-instrumentations-node
// Not run by default, for a breakdown of `sightline` (pass them in --variants): the same register
// entry with one standard variable set, so each adds one part of the work:
//   sightline-unsampled   OTEL_TRACES_SAMPLER=always_off: instrumentation and metrics, no span recorded
//   sightline-unexported  OTEL_TRACES_EXPORTER=none: spans recorded and ended, never encoded or sent
//   sightline-worker      SIGHTLINE_TRACES_EXPORT_WORKER=true: the same batches sent from a worker thread
//   sightline-batch4096   OTEL_BSP_MAX_EXPORT_BATCH_SIZE=4096 (queue 16384): 8x fewer export calls
// Rounds interleave the variants (the order rotating), so machine drift hits all of them.
//
//   node http/run.mjs [--quick] [--rounds N] [--duration S] [--scenarios hello,api] [--variants a,b]
//                     [--out FILE]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { resultsPath } from '../lib/common.mjs';
import { startOtlpSinkProcess } from '../lib/otlp-sink-process.mjs';

const here = import.meta.dirname;
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    scenarios: { type: 'string' },
    variants: { type: 'string' },
    out: { type: 'string' },
  },
});
const settings = {
  rounds: Number(args.rounds ?? (args.quick ? 1 : 3)),
  durationSeconds: Number(args.duration ?? (args.quick ? 1 : 10)),
  warmupSeconds: Number(args.warmup ?? (args.quick ? 0.5 : 3)),
  connections: Number(args.connections ?? 10),
  scenarios: (args.scenarios ?? 'hello,api').split(','),
  variants: (args.variants ?? 'bare,sightline,sightline-http,official,auto').split(','),
};
const out = resultsPath('http', args);

/** The register entry's variants: the variables each sets on top of the defaults. */
const SIGHTLINE_VARIANTS = {
  sightline: {},
  'sightline-http': { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' },
  'sightline-unsampled': { OTEL_TRACES_SAMPLER: 'always_off' },
  'sightline-unexported': { OTEL_TRACES_EXPORTER: 'none' },
  'sightline-worker': { SIGHTLINE_TRACES_EXPORT_WORKER: 'true' },
  'sightline-batch4096': {
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096',
    OTEL_BSP_MAX_QUEUE_SIZE: '16384',
  },
};

/** How each variant starts the same server file. */
function launch(variant, scenario, sink) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BENCH_SCENARIO: scenario,
    BENCH_OTLP_URL: sink.url,
    PGHOST: process.env.PGHOST ?? '127.0.0.1',
    PGUSER: process.env.PGUSER ?? 'postgres',
    PGDATABASE: process.env.PGDATABASE ?? 'test',
  };
  const argv = [];
  if (Object.hasOwn(SIGHTLINE_VARIANTS, variant)) {
    argv.push('--import', '@sightline/node/register');
    Object.assign(env, {
      OTEL_SERVICE_NAME: 'bench-http',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.baseUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      ...SIGHTLINE_VARIANTS[variant],
    });
  } else if (variant === 'official' || variant === 'auto') {
    argv.push('--require', path.join(here, 'setup-official.cjs'));
    env.BENCH_OFFICIAL = variant === 'auto' ? 'auto' : 'http';
    // auto-instrumentations-node would otherwise probe cloud metadata endpoints.
    env.OTEL_NODE_RESOURCE_DETECTORS = 'none';
  } else if (variant !== 'bare') {
    throw new Error(`unknown variant ${variant}`);
  }
  argv.push(path.join(here, 'server.cjs'));
  return spawn(process.execPath, argv, { env, cwd: path.join(here, '..'), stdio: 'pipe' });
}

async function measure(variant, scenario, sink) {
  await sink.reset();
  const child = launch(variant, scenario, sink);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /READY (\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${variant} exited (${code}):\n${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}/`;
  const load = (duration) =>
    autocannon({ url, connections: settings.connections, pipelining: 1, duration });
  const warm = settings.warmupSeconds > 0 ? await load(settings.warmupSeconds) : undefined;
  const warmRequests = warm ? warm.requests.total : 0;
  const cpu = async () => (await fetch(`${url}__cpu`)).json();
  const cpuBefore = await cpu();
  const result = await load(settings.durationSeconds);
  const cpuAfter = await cpu();
  const micros = (usage) => (usage ? usage.user + usage.system : Number.NaN);
  await sleep(200);
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  await exit;
  await sleep(100);
  const exported = await sink.read();
  return {
    variant,
    scenario,
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean },
    // CPU time the server spent per request answered during the measurement.
    cpuMicrosPerRequest:
      (micros(cpuAfter.process) - micros(cpuBefore.process)) / result.requests.total,
    mainThreadMicrosPerRequest:
      (micros(cpuAfter.mainThread) - micros(cpuBefore.mainThread)) / result.requests.total,
    spansExported: exported.spans,
    // Every request the server answered, warm-up included, against what the sink received.
    spansPerRequest: exported.spans / (warmRequests + result.requests.total),
    sinkErrors: exported.errors,
    stderr: stderr.slice(0, 2000),
  };
}

const round2 = (value) => Math.round(value * 100) / 100;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// The sink runs in a process of its own, not on the load generator's thread.
const sink = await startOtlpSinkProcess();
const runs = [];
try {
  for (let round = 0; round < settings.rounds; round++) {
    for (const scenario of settings.scenarios) {
      const order = settings.variants.map(
        (_, i) => settings.variants[(i + round) % settings.variants.length],
      );
      for (const variant of order) {
        const run = await measure(variant, scenario, sink);
        runs.push({ round, ...run });
        process.stderr.write(
          `  round ${round + 1}/${settings.rounds} ${scenario} ${variant}: ${Math.round(run.requestsPerSecond)} req/s\n`,
        );
      }
    }
  }
} finally {
  await sink.stop();
}

const rows = [];
for (const scenario of settings.scenarios) {
  const bareRuns = runs.filter((r) => r.scenario === scenario && r.variant === 'bare');
  for (const variant of settings.variants) {
    const mine = runs.filter((r) => r.scenario === scenario && r.variant === variant);
    // Ratio per round (same conditions), then the median over rounds.
    const vsBare = mine.map((r) => {
      const bare = bareRuns.find((b) => b.round === r.round);
      return bare ? r.requestsPerSecond / bare.requestsPerSecond : Number.NaN;
    });
    rows.push({
      scenario,
      variant,
      requestsPerSecond: Math.round(median(mine.map((r) => r.requestsPerSecond))),
      vsBare: Math.round(median(vsBare) * 1000) / 1000,
      cpuMicrosPerRequest: round2(median(mine.map((r) => r.cpuMicrosPerRequest))),
      mainThreadMicrosPerRequest: round2(median(mine.map((r) => r.mainThreadMicrosPerRequest))),
      p50Ms: median(mine.map((r) => r.latencyMs.p50)),
      p99Ms: median(mine.map((r) => r.latencyMs.p99)),
      // Spans the sink received per request the server answered (warm-up included).
      spansPerRequest: Math.round(median(mine.map((r) => r.spansPerRequest)) * 1000) / 1000,
      failures: mine.reduce((n, r) => n + r.non2xx + r.errors, 0),
    });
  }
}

const result = {
  benchmark: 'http',
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    platform: `${os.platform()} ${os.release()}`,
  },
  settings,
  rows,
  runs,
};
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);

const pad = (v, n) => String(v).padStart(n);
console.log(`\nHTTP server overhead — node ${process.version}, ${os.cpus().length} cores`);
console.log(
  'scenario  variant      req/s  vs bare  CPU µs/req  main thread µs/req (+ vs bare)  p50 ms  p99 ms  spans/req',
);
for (const r of rows) {
  const bare = rows.find((b) => b.scenario === r.scenario && b.variant === 'bare');
  const extra = round2(r.mainThreadMicrosPerRequest - (bare?.mainThreadMicrosPerRequest ?? 0));
  const main = `${r.mainThreadMicrosPerRequest} (+${extra})`;
  console.log(
    [
      r.scenario.padEnd(9),
      r.variant.padEnd(10),
      pad(r.requestsPerSecond, 7),
      pad(`${r.vsBare.toFixed(2)}x`, 8),
      pad(r.cpuMicrosPerRequest, 11),
      pad(main, 30),
      pad(r.p50Ms, 7),
      pad(r.p99Ms, 7),
      pad(r.spansPerRequest, 10),
      r.failures ? `  (${r.failures} failed)` : '',
    ].join(' '),
  );
}
console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
