// Smoke test of the HTTP benchmark: quick mode runs every variant on the hello-world scenario and
// writes its JSON. Shape and tracing are asserted; timings on a shared machine are not.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('http benchmark (quick mode)', () => {
  it('loads every variant, and the traced ones export a span per request', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-http-'));
    try {
      const result = await quickRun(dir);
      assert.equal(result.benchmark, 'http');
      const byVariant = Object.fromEntries(result.rows.map((r) => [r.variant, r]));
      for (const name of ['bare', 'sightline', 'sightline-http', 'official', 'auto']) {
        const row = byVariant[name];
        assert.ok(row, name);
        assert.ok(row.requestsPerSecond > 0, JSON.stringify(row));
        assert.equal(row.failures, 0, JSON.stringify(row));
      }
      assert.equal(byVariant.bare.spansPerRequest, 0);
      for (const name of ['sightline', 'sightline-http', 'official', 'auto']) {
        // Spans still queued at exit are flushed on SIGTERM, so every request arrives.
        assert.ok(
          byVariant[name].spansPerRequest >= 0.99,
          `${name}: ${byVariant[name].spansPerRequest}`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the breakdown variants, each changing what is exported', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-http-'));
    try {
      const variants = [
        'sightline-unsampled',
        'sightline-unexported',
        'sightline-batch4096',
        'sightline-worker',
      ];
      const result = await quickRun(dir, ['--variants', variants.join(',')]);
      const byVariant = Object.fromEntries(result.rows.map((r) => [r.variant, r]));
      for (const name of variants) {
        assert.ok(byVariant[name]?.requestsPerSecond > 0, name);
        assert.equal(byVariant[name].failures, 0, JSON.stringify(byVariant[name]));
      }
      // Nothing recorded, nothing exported: the two halves of the work really are left out.
      assert.equal(byVariant['sightline-unsampled'].spansPerRequest, 0);
      assert.equal(byVariant['sightline-unexported'].spansPerRequest, 0);
      assert.ok(byVariant['sightline-batch4096'].spansPerRequest >= 0.99);
      // The same spans, sent from the export worker.
      assert.ok(byVariant['sightline-worker'].spansPerRequest >= 0.99);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** One quick run of the hello scenario (1 s per variant, no warm-up); resolves with its JSON. */
async function quickRun(dir, extra = []) {
  const out = path.join(dir, 'http.json');
  await run(
    process.execPath,
    [
      path.join(import.meta.dirname, 'run.mjs'),
      '--quick',
      '--scenarios',
      'hello',
      '--duration',
      '1',
      '--warmup',
      '0',
      '--out',
      out,
      ...extra,
    ],
    { timeout: 110_000 },
  );
  return JSON.parse(await readFile(out, 'utf8'));
}
