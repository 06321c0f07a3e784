// Smoke test of the arena benchmark: quick mode runs every variant end to end and writes its JSON.
// Only the shape is asserted (and that telemetry really flowed); timings on a shared machine are not.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VARIANTS = [
  'bare',
  'bare-checked',
  'arena-off',
  'arena-metrics',
  'arena-all',
  'arena-pattern',
  'arena-view',
  'uint8array',
];

describe('arena benchmark (quick mode)', () => {
  let dir;
  let result;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-'));
    const out = path.join(dir, 'arena.json');
    await run(
      process.execPath,
      [path.join(import.meta.dirname, 'run.mjs'), '--quick', '--out', out],
      {
        cwd: path.dirname(import.meta.dirname),
        timeout: 110_000,
      },
    );
    result = JSON.parse(await readFile(out, 'utf8'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes machine info, settings and the budget', () => {
    assert.equal(result.benchmark, 'arena');
    assert.equal(result.machine.node, process.version);
    assert.equal(result.settings.mode, 'quick');
    assert.equal(result.settings.budgetNs, 7);
  });

  it('reports mean, batch min/avg/max and the share over budget for every variant', () => {
    assert.deepEqual(Object.keys(result.variants).sort(), [...VARIANTS].sort());
    for (const name of VARIANTS) {
      const v = result.variants[name];
      for (const n of [v.meanNsPerAlloc, v.batchMeans.min, v.batchMeans.avg, v.batchMeans.max]) {
        assert.ok(Number.isFinite(n) && n > 0, `${name}: ${n}`);
      }
      assert.ok(v.batchMeans.min <= v.batchMeans.avg && v.batchMeans.avg <= v.batchMeans.max, name);
      assert.ok(v.shareOfBatchesOverBudget >= 0 && v.shareOfBatchesOverBudget <= 1, name);
    }
    for (const name of VARIANTS.filter((n) => n !== 'bare')) {
      assert.ok(result.pairedRatios[`${name}/bare`] > 0, `${name}/bare`);
    }
    assert.ok('arena-all mean ≤ 7 ns/allocation' in result.targets);
  });

  it('exports arena metrics from the telemetry variants, and samples allocations in arena-all', () => {
    for (const name of ['arena-metrics', 'arena-all', 'arena-pattern']) {
      assert.ok(
        result.variants[name].runs.every((r) => r.arenaMetricsArrived),
        name,
      );
    }
    assert.equal(result.variants['arena-off'].runs[0].facts.samples, 0);
    assert.ok(result.variants['arena-all'].runs[0].facts.samples > 0);
  });
});
