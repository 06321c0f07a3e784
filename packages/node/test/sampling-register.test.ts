import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

// Compiled to dist/test/; the fixtures stay in test/fixtures/.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

describe('tail sampling from the environment alone', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.stop();
  });

  it('keeps only the failing trace of an app started with --import and SIGHTLINE_TAIL_*', async () => {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', '@sightline/node/register', 'tail-app.mjs'],
        {
          cwd: FIXTURES,
          env: {
            PATH: process.env.PATH ?? '',
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
            OTEL_METRICS_EXPORTER: 'none',
            OTEL_LOGS_EXPORTER: 'none',
            OTEL_TRACES_SAMPLER: 'sightline_adaptive',
            OTEL_TRACES_SAMPLER_ARG: '1000',
            SIGHTLINE_TAIL_SAMPLING: 'true',
            SIGHTLINE_TAIL_DECISION_WAIT: '20',
            SIGHTLINE_TAIL_FALLBACK_RATIO: '0',
            SIGHTLINE_TAIL_POLICIES: 'error,probabilistic',
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        },
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(code, 0);
    const spans = await receiver.waitFor(() => receiver.spans.length >= 2 && receiver.spans, {
      what: 'the failing trace',
    });
    assert.deepEqual(spans.map((s) => s.name).sort(), ['job 2', 'step']);
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
  });
});
