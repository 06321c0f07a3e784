// Smoke test of the memory benchmark and the detector study in quick mode: they run end to end and
// write their JSON. Shapes only; timings on a shared machine are not asserted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('memory benchmark (quick mode)', () => {
  let dir;
  let bench;
  let study;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-memory-'));
    const cwd = path.dirname(import.meta.dirname);
    await run(
      process.execPath,
      [
        path.join(import.meta.dirname, 'run.mjs'),
        '--quick',
        '--out',
        path.join(dir, 'memory.json'),
      ],
      { cwd, timeout: 110_000 },
    );
    await run(
      process.execPath,
      [
        path.join(import.meta.dirname, 'detector-study.mjs'),
        '--quick',
        '--out',
        path.join(dir, 'study.json'),
      ],
      { cwd, timeout: 110_000 },
    );
    bench = JSON.parse(await readFile(path.join(dir, 'memory.json'), 'utf8'));
    study = JSON.parse(await readFile(path.join(dir, 'study.json'), 'utf8'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures every variant, the tick and a heap snapshot', () => {
    assert.equal(bench.settings.mode, 'quick');
    for (const name of ['bare', 'no-profiler', 'profiler-512k', 'profiler-32k']) {
      assert.ok(bench.variants[name].medianNsPerIteration > 0, name);
    }
    assert.ok(
      bench.variants['profiler-32k'].profileSamplesPerRun[0] > 0,
      'the profiler took samples',
    );
    assert.ok(Number.isFinite(bench.overhead['profiler-512k'].pairedMedianPercent));
    assert.ok(bench.tick.medianMicros > 0);
    assert.ok(bench.heapSnapshot.pauseMillis > 0);
  });

  it('runs the detector study', () => {
    assert.equal(study.mode, 'quick');
    assert.ok(study.falsePositives.series > 0);
    assert.deepEqual(Object.keys(study.detection), ['5 MB/h', '20 MB/h', '100 MB/h', '500 MB/h']);
  });
});
