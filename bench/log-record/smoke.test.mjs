// Smoke test of the log-record benchmark: the quick mode runs every variant end to end and writes
// its JSON. It asserts the shape only; timings on a shared machine are not asserted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VARIANTS = ['bare', 'official', 'sightline', 'sightline-correlation'];

describe('log-record benchmark (quick mode)', () => {
  let dir;
  let result;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-'));
    const out = path.join(dir, 'log-record.json');
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
    assert.equal(result.benchmark, 'log-record');
    assert.equal(result.machine.node, process.version);
    assert.equal(result.settings.mode, 'quick');
  });

  it('has positive finite numbers for all four variants', () => {
    assert.deepEqual(Object.keys(result.variants).sort(), [...VARIANTS].sort());
    for (const name of VARIANTS) {
      const v = result.variants[name];
      for (const n of [v.median, v.min, v.max, v.ratioVsOfficial, v.ratioVsBare, ...v.samples]) {
        assert.ok(Number.isFinite(n) && n > 0, `${name}: ${n} is not a positive finite number`);
      }
      assert.ok(v.recordsCreated.total > 0, name);
    }
  });

  it('exports records for real from the sending variants, and nothing from the others', () => {
    for (const name of ['official', 'sightline']) {
      assert.ok(result.variants[name].recordsReceived.total > 0, `${name} exported no records`);
    }
    for (const name of ['bare', 'sightline-correlation']) {
      assert.equal(result.variants[name].recordsReceived.total, 0, name);
    }
  });
});
