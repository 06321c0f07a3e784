// Smoke test of the sampling benchmark: quick mode runs every part end to end and writes its JSON.
// It asserts the shape and the bounds the benchmark reports, never a timing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('sampling benchmark (quick mode)', () => {
  let dir;
  let result;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-sampling-'));
    const out = path.join(dir, 'sampling.json');
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

  it('measures span cost for every variant in both modes', () => {
    assert.equal(result.benchmark, 'sampling');
    assert.equal(result.settings.mode, 'quick');
    for (const mode of ['burst', 'steady']) {
      for (const name of ['official', 'sightline', 'sightline-tail']) {
        const v = result.spanCost[mode][name];
        for (const n of [v.median, ...v.samples])
          assert.ok(Number.isFinite(n) && n > 0, `${mode} ${name}: ${n}`);
      }
      assert.ok(result.spanCost[mode].ratios['sightline-tail/sightline'] > 0);
    }
    assert.ok(result.spanCost.steady['sightline-tail'].cpuNsPerSpanMedian > 0);
  });

  it('keeps the tail buffer within its configured bound and exports what it keeps', () => {
    const tail = result.memory['memory-tail'];
    assert.ok(tail.maxBufferedSpans > 0 && tail.maxBufferedSpans <= tail.maxSpans);
    assert.equal(result.memory.withinConfiguredBound, true);
    assert.ok(tail.keptTraces > 0 && tail.droppedTraces > tail.keptTraces);
    assert.ok(tail.spansReceived > 0, 'kept spans reached the OTLP sink');
  });

  it('measures the head samplers decision cost', () => {
    for (const [name, s] of Object.entries(result.decision.samplers))
      assert.ok(s.root > 0 && s.child > 0, name);
    assert.ok('sightline_adaptive' in result.decision.samplers);
  });
});
