// Shared by the examples' tests: runs an example the way its README says (its `start` command,
// `node --import @sightline/node/register ...`), exporting to a real viewer started in-process, and
// reads the traces back through the viewer's query API (docs/viewer-api.md).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startViewer } from '@sightline/viewer';

/** Starts a viewer on free ports with a fresh store; `close()` removes the store. */
export async function startTestViewer() {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-example-'));
  const viewer = await startViewer({ httpPort: 0, grpcPort: false, dataDir });
  return {
    url: viewer.httpUrl,
    runId: viewer.runId,
    /** GET a query API path, as JSON. */
    async api(path) {
      const response = await fetch(`${viewer.httpUrl}${path}`);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return response.json();
    },
    async close() {
      await viewer.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `node --import @sightline/node/register <script>` in `cwd` with Sightline exporting to
 * `otlpEndpoint` quickly (short batch delays), and resolves once it prints `listening on <url>`
 * (or at once with `waitForUrl: false`).
 */
export async function startExample({ cwd, script, otlpEndpoint, env = {}, waitForUrl = true }) {
  const child = spawn(
    process.execPath,
    ['--env-file-if-exists=.env', '--import', '@sightline/node/register', script],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      output += text;
    });
  }
  const exited = once(child, 'exit');
  let url;
  if (waitForUrl) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) break;
      if (child.exitCode !== null) throw new Error(`${script} exited early:\n${output}`);
      if (Date.now() > deadline)
        throw new Error(`${script} did not listen within 30 s:\n${output}`);
      await sleep(50);
    }
  }
  return {
    url,
    output: () => output,
    /** Resolves with the exit code once the example exits by itself. */
    exited: exited.then(([code, signal]) => code ?? signal),
    /** SIGTERM: Sightline flushes everything, then the process exits. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      return output;
    },
  };
}

/** Polls `find()` until it returns something, for up to `timeoutMs`. */
export async function eventually(find, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting for telemetry');
    await sleep(200);
  }
}

function reachable(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Why a test that needs PostgreSQL (5432) and Redis (6379) must skip, after a loud notice; or
 * undefined when both answer. Throws under `SIGHTLINE_REQUIRE_SERVICES=1` instead of skipping.
 */
export async function servicesSkipReason() {
  const missing = [];
  if (!(await reachable(5432))) missing.push('PostgreSQL at 127.0.0.1:5432');
  if (!(await reachable(6379))) missing.push('Redis at 127.0.0.1:6379');
  if (missing.length === 0) return undefined;
  const reason = `${missing.join(' and ')} not reachable`;
  if (process.env.SIGHTLINE_REQUIRE_SERVICES === '1')
    throw new Error(`${reason}, and SIGHTLINE_REQUIRE_SERVICES=1 requires them`);
  process.stderr.write(
    `\n!!!!!!!!\n!!! SKIPPING: ${reason} (set SIGHTLINE_REQUIRE_SERVICES=1 to fail instead)\n!!!!!!!!\n\n`,
  );
  return reason;
}
