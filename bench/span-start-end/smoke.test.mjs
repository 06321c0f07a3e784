// Smoke test of the benchmark harness: the quick mode runs every variant end to end and writes
// its JSON. It asserts the shape only; timings on a shared machine are not asserted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VARIANTS = ['bare', 'official', 'sightline', 'sightline-disabled'];

describe('span-start-end benchmark (quick mode)', () => {
  let dir;
  let result;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-'));
    const out = path.join(dir, 'span-start-end.json');
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

  it('writes machine info and settings', () => {
    assert.equal(result.benchmark, 'span-start-end');
    assert.equal(result.machine.node, process.version);
    assert.ok(result.machine.cpus.count > 0);
    assert.ok(!Number.isNaN(Date.parse(result.date)));
    assert.equal(result.settings.mode, 'quick');
  });

  it('has positive finite numbers for all four variants', () => {
    assert.deepEqual(Object.keys(result.variants).sort(), [...VARIANTS].sort());
    for (const name of VARIANTS) {
      const v = result.variants[name];
      const numbers = [v.median, v.min, v.max, v.ratioVsOfficial, v.ratioVsBare, ...v.samples];
      for (const n of numbers) {
        assert.ok(Number.isFinite(n) && n > 0, `${name}: ${n} is not a positive finite number`);
      }
      assert.ok(v.spansCreated.total > 0, name);
    }
  });

  it('exports for real from both SDK variants, and nothing from the others', () => {
    for (const name of ['official', 'sightline']) {
      assert.ok(result.variants[name].spansReceived.total > 0, `${name} exported no spans`);
    }
    for (const name of ['bare', 'sightline-disabled']) {
      assert.equal(result.variants[name].spansReceived.total, 0, name);
    }
  });
});
