// Smoke test of the span-helpers benchmark: quick mode runs end to end and writes its JSON. Only
// the shape is asserted; timings on a shared machine are not.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('span-helpers benchmark (quick mode)', () => {
  it('measures every variant in both modes and writes ratios', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-'));
    try {
      const out = path.join(dir, 'span-helpers.json');
      await run(
        process.execPath,
        [path.join(import.meta.dirname, 'run.mjs'), '--quick', '--out', out],
        { timeout: 110_000 },
      );
      const result = JSON.parse(await readFile(out, 'utf8'));
      assert.equal(result.benchmark, 'span-helpers');
      for (const mode of ['sdk', 'noop']) {
        const variants = result.rows.filter((r) => r.mode === mode).map((r) => r.variant);
        for (const name of ['startActiveSpan', 'withSpan', 'family'])
          assert.ok(variants.includes(name), `${mode} ${name}`);
      }
      for (const row of result.rows)
        assert.ok(Number.isFinite(row.nsPerOp) && row.nsPerOp > 0, JSON.stringify(row));
      const ratios = result.comparisons.map((c) => c.ratio);
      assert.ok(ratios.includes('withSpan / startActiveSpan'));
      assert.ok(ratios.includes('family / withSpan+attrs'));
      for (const c of result.comparisons)
        assert.ok(Number.isFinite(c.value) && c.value > 0, JSON.stringify(c));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
