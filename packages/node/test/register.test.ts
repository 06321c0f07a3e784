import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

// Compiled to dist/test/; the fixtures stay in test/fixtures/.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runApp(file: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', '@sightline/node/register', file], {
      cwd: FIXTURES,
      env: {
        PATH: process.env.PATH ?? '',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('node --import @sightline/node/register', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.stop();
  });

  for (const [kind, file] of [
    ['ESM', 'app-esm.mjs'],
    ['CommonJS', 'app-cjs.cjs'],
  ] as const) {
    it(`instruments a ${kind} app from the environment alone and flushes at exit`, async () => {
      receiver.reset();
      const result = await runApp(file, {
        OTEL_SERVICE_NAME: `register-${kind}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /recording=true/);
      const span = await receiver.waitFor(() => receiver.spans[0], {
        what: `the ${kind} app's span`,
      });
      assert.equal(span.resource['service.name'], `register-${kind}`);
      assert.equal(span.attributes['app.module'], kind === 'ESM' ? 'esm' : 'cjs');
    });
  }

  it('starts the app without telemetry, saying why, when the configuration is broken', async () => {
    const result = await runApp('app-esm.mjs', { SIGHTLINE_CONFIG: '/nonexistent/sightline.json' });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /recording=false/);
    assert.match(result.stderr, /telemetry is disabled: SIGHTLINE_ERR_CONFIG_FILE/);
  });

  it('warns about an invalid environment value and still runs', async () => {
    receiver.reset();
    const result = await runApp('app-esm.mjs', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
    });
    assert.equal(result.code, 0);
    assert.match(result.stderr, /invalid value "lots" for OTEL_BSP_MAX_QUEUE_SIZE/);
    await receiver.waitFor(() => receiver.spans[0], { what: 'a span despite the bad variable' });
  });

  describe('signals and exit', () => {
    it('flushes on SIGTERM and then dies by the signal, as the app would have without Sightline', async () => {
      receiver.reset();
      const result = await runApp('signal-app.mjs', {
        SIGNAL_MODE: 'no-handler',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.signal, 'SIGTERM', `exit ${result.code} ${result.stderr}`);
      await receiver.waitFor(
        () => receiver.spans.find((s) => s.name === 'span before no-handler'),
        { what: 'the flushed span' },
      );
    });

    it("flushes on SIGTERM and leaves the exit to the app's own handler", async () => {
      receiver.reset();
      const result = await runApp('signal-app.mjs', {
        SIGNAL_MODE: 'own-handler',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.code, 7, result.stderr);
      await receiver.waitFor(
        () => receiver.spans.find((s) => s.name === 'span before own-handler'),
        { what: 'the flushed span' },
      );
    });

    it('flushes on beforeExit when the app runs out of work', async () => {
      receiver.reset();
      const result = await runApp('signal-app.mjs', {
        SIGNAL_MODE: 'before-exit',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.code, 0, result.stderr);
      await receiver.waitFor(
        () => receiver.spans.find((s) => s.name === 'span before before-exit'),
        { what: 'the flushed span' },
      );
    });

    it('does not hook signals when SIGHTLINE_HANDLE_SIGNALS=false', async () => {
      receiver.reset();
      const result = await runApp('signal-app.mjs', {
        SIGNAL_MODE: 'no-handler',
        SIGHTLINE_HANDLE_SIGNALS: 'false',
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.signal, 'SIGTERM');
      assert.equal(
        receiver.spans.length,
        0,
        'without the hook, the queued span dies with the process',
      );
    });
  });
});
