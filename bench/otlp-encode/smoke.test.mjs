// Smoke test of the encoding benchmark: quick mode checks the bytes against the official serializer,
// times every variant and writes its JSON. Shape only; timings on a shared machine are not asserted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('otlp-encode benchmark (quick mode)', () => {
  it('encodes the same bytes as the official serializer and reports every variant', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-encode-'));
    try {
      const out = path.join(dir, 'otlp-encode.json');
      const { stdout } = await run(
        process.execPath,
        [path.join(import.meta.dirname, 'run.mjs'), '--quick', '--out', out],
        { timeout: 110_000 },
      );
      const result = JSON.parse(await readFile(out, 'utf8'));
      assert.equal(result.benchmark, 'otlp-encode');
      assert.deepEqual(
        result.rows.map((r) => r.variant),
        [
          'sightline repeating',
          'sightline unique',
          'sightline lean',
          'sightline lean hex',
          'official repeating',
        ],
      );
      // CPU time comes in scheduler ticks: a quick run's figure may round to 0.
      for (const row of result.rows) assert.ok(row.nsPerSpan >= 0, JSON.stringify(row));
      assert.equal(result.rounds['sightline repeating'].length, 1);
      assert.ok(result.bytesPerSpan > 100, `${result.bytesPerSpan} bytes per span`);
      assert.match(stdout, /official repeating/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
