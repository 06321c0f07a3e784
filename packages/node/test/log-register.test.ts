import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

// Compiled to dist/test/; the fixtures stay in test/fixtures/.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runApp(file: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', '@sightline/node/register', file], {
      cwd: FIXTURES,
      env: { PATH: process.env.PATH ?? '', OTEL_METRICS_EXPORTER: 'none', ...env },
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
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The app's stdout, one JSON record per line, by message. */
function recordsByMessage(stdout: string): Map<string, Record<string, unknown>> {
  const records = new Map<string, Record<string, unknown>>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as Record<string, unknown>;
    records.set(String(record.msg ?? record.message), record);
  }
  return records;
}

describe('pino and winston in a child process started with --import', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.stop();
  });

  for (const [kind, file, env] of [
    ['CommonJS', 'logs-app.cjs', {}],
    // The register entry installs the import-in-the-middle loader hook that ESM apps need.
    ['ESM', 'logs-app.mjs', {}],
  ] as const) {
    it(`correlates, sends from the send level up, and adds span events in the ${kind} app`, async () => {
      receiver.reset();
      const service = `logs-${kind}`;
      const result = await runApp(file, {
        ...env,
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
        // Both are applied by Sightline's wrapper, not by the contrib: this checks the wrapper
        // took hold on the require and on the import path.
        SIGHTLINE_LOG_SEND_LEVEL: 'warn',
        SIGHTLINE_LOG_SPAN_EVENTS: 'true',
      });
      assert.equal(result.code, 0, result.stderr);
      const span = await receiver.waitFor(
        () => receiver.spans.find((s) => s.name.endsWith('request')),
        { what: `the ${kind} app's span` },
      );
      const written = recordsByMessage(result.stdout);
      for (const text of ['pino inside', 'winston inside', 'pino failed', 'winston boom']) {
        const record = written.get(text);
        assert.ok(record, `${text} in stdout:\n${result.stdout}`);
        assert.equal(record.trace_id, span.traceId, text);
        assert.equal(record.span_id, span.spanId, text);
        assert.equal(record.trace_flags, '01', text);
      }
      for (const text of ['pino outside', 'winston outside']) {
        const record = written.get(text);
        assert.ok(record, text);
        assert.ok(!('trace_id' in record) && !('span_id' in record), text);
      }

      const logs = await receiver.waitFor(() => receiver.logs.length >= 3 && receiver.logs, {
        what: `the ${kind} app's 3 records at warn and above`,
      });
      const sent = new Map(logs.map((l) => [l.body, l]));
      assert.deepEqual([...sent.keys()].sort(), ['pino failed', 'winston boom', 'winston inside']);
      assert.equal(sent.get('pino failed')?.spanId, span.spanId);
      assert.equal(sent.get('pino failed')?.severityText, 'error');
      assert.equal(sent.get('winston inside')?.spanId, span.spanId);
      assert.equal(sent.get('winston inside')?.severityNumber, 13);
      assert.equal(sent.get('winston boom')?.resource['service.name'], service);

      assert.deepEqual(
        span.events.map((e) => [e.name, e.attributes['exception.message']]),
        [
          ['exception', 'pino boom'],
          ['exception', 'winston boom'],
        ],
      );
    });
  }
});
