// runDemo: the viewer (a fresh run), the four demo services, load for a while with a progress bar,
// a summary read back from the viewer's API, then serve until Ctrl-C (or stop at once with `exit`).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatSummary } from './lib/format-summary.mjs';
import { startServices } from './lib/start-services.mjs';
import { summarizeRun } from './lib/summarize-run.mjs';
import { driveLoad } from './load/drive-load.mjs';
import { createProgressBar } from './load/progress-bar.mjs';

/**
 * Runs the demo. See `index.d.ts` for the options and the result.
 *
 * @example
 * ```js
 * import { runDemo } from '@sightline/demo';
 * const { summary } = await runDemo({ durationMs: 20_000, exit: true });
 * console.log(summary.traces, 'traces');
 * ```
 * @param {import('./index.js').DemoOptions} [options]
 * @returns {Promise<import('./index.js').DemoResult>}
 */
export async function runDemo(options = {}) {
  const out = options.out ?? process.stdout;
  const say = options.json ? () => {} : (line = '') => out.write(`${line}\n`);
  const durationMs = options.durationMs ?? 30_000;
  if (!Number.isFinite(durationMs) || durationMs <= 0)
    throw new RangeError(`durationMs must be a positive number of milliseconds, got ${durationMs}`);
  const databaseUrl =
    options.databaseUrl === undefined ? process.env.DATABASE_URL : options.databaseUrl || undefined;
  const redisUrl =
    options.redisUrl === undefined ? process.env.REDIS_URL : options.redisUrl || undefined;

  const viewer = await startDemoViewer(options, say);
  say('Sightline demo');
  say(`  viewer     ${viewer.httpUrl}  (run ${viewer.runId}, data in ${viewer.dataDir})`);

  /** @type {Awaited<ReturnType<typeof startServices>> | undefined} */
  let system;
  try {
    system = await startServices({
      otlpEndpoint: viewer.httpUrl,
      leak: options.leak === true,
      databaseUrl,
      redisUrl,
      ...(options.failureRate === undefined ? {} : { failureRate: options.failureRate }),
      onOutput: (service, line) => options.onServiceOutput?.(service, line),
    });
    say(
      `  services   ${system.services.map((s) => `${s.name} ${s.url.replace('http://127.0.0.1', '')}`).join(', ')}`,
    );
    say(
      `  database   ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'embedded stand-in (set DATABASE_URL for PostgreSQL)'}`,
    );
    say(
      `  cache      ${redisUrl ? 'Redis (REDIS_URL)' : 'embedded stand-in (set REDIS_URL for Redis)'}`,
    );
    if (options.leak) say('  leak       on: the inventory service keeps every request in memory');
    say(`  load       ${Math.round(durationMs / 1000)} s against ${system.gatewayUrl}`);

    const bar = createProgressBar(options.json ? { write: () => true } : out, durationMs);
    const load = await driveLoad({
      gatewayUrl: system.gatewayUrl,
      durationMs,
      concurrency: options.concurrency ?? 4,
      onProgress: (elapsed, stats) => bar.update(elapsed, stats),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    bar.done();

    if (options.exit) {
      // Each service flushes on SIGTERM; the viewer answers an export only once it is committed.
      await system.stop();
    } else {
      await sleep(2500); // two metric intervals and a few span batches
    }
    const summary = await summarizeRun({ viewerUrl: viewer.httpUrl, runId: viewer.runId });
    const result = {
      viewerUrl: viewer.httpUrl,
      uiUrl: `${viewer.httpUrl}/`,
      runId: viewer.runId,
      dataDir: viewer.dataDir,
      gatewayUrl: system.gatewayUrl,
      durationMs,
      load,
      summary,
    };
    if (options.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
    else out.write(formatSummary(result, { leak: options.leak === true }));

    if (!options.exit) {
      say(
        `Serving until Ctrl-C. Send your own requests to ${system.gatewayUrl}/api/products/SKU-0001`,
      );
      await untilStopped(options.signal);
    }
    return result;
  } finally {
    await system?.stop();
    await viewer.close();
  }
}

/** Resolves on SIGINT/SIGTERM, or when `signal` aborts. */
function untilStopped(signal) {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(undefined);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Starts the embedded viewer for a fresh run named `demo <time>`. Port 4318 by default, the port
 * every OTLP SDK exports to; if it is taken (say `sightline dev` runs), a free port instead. If the
 * default store is held by another viewer, a store in a temporary directory instead.
 */
async function startDemoViewer(options, say) {
  let viewerModule;
  try {
    viewerModule = await import('@sightline/viewer');
  } catch (error) {
    throw new Error(
      `the demo needs @sightline/viewer, which could not be loaded: ${error.message}`,
    );
  }
  const base = {
    grpcPort: /** @type {false} */ (false),
    runName: `demo ${new Date().toISOString()}`,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  };
  let port = options.port ?? 4318;
  for (let attempt = 0; ; attempt++) {
    try {
      return await viewerModule.startViewer({ ...base, httpPort: port });
    } catch (error) {
      if (attempt >= 2) throw error;
      if (error?.code === 'SIGHTLINE_ERR_VIEWER_LISTEN' && port !== 0) {
        say(`  (port ${port} is taken, e.g. by sightline dev: using a free port)`);
        port = 0;
      } else if (error?.code === 'SIGHTLINE_ERR_VIEWER_STORE' && !options.dataDir) {
        base.dataDir = await mkdtemp(join(tmpdir(), 'sightline-demo-'));
        say(`  (the default store is in use, e.g. by sightline dev: using ${base.dataDir})`);
      } else throw error;
    }
  }
}
