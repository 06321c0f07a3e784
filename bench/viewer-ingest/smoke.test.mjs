// Smoke test of the viewer benchmark: quick mode ingests 20k spans through a real viewer process and runs
// every query once or twice. It asserts the result's shape and that the data arrived; no timings.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('viewer-ingest benchmark (quick mode)', () => {
  let dir;
  let result;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sightline-bench-viewer-'));
    const out = path.join(dir, 'viewer-ingest.json');
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

  it('ingests every span it sent and measures every query', () => {
    assert.equal(result.benchmark, 'viewer-ingest');
    assert.equal(result.settings.mode, 'quick');
    const [p] = result.phases;
    assert.equal(p.stored, 20_000);
    assert.equal(p.ingest.spans, 20_000);
    for (const v of [
      p.ingest.spansPerSecond,
      p.traceById.p95Ms,
      p.search.p95Ms,
      p.red.p95Ms,
      p.serviceMap.p95Ms,
      p.disk.bytesPerSpan,
    ])
      assert.ok(Number.isFinite(v) && v > 0, `${v} is not a positive number`);
    assert.equal(p.traceById.n, 10);
  });
});
