import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

describe('without @opentelemetry/api installed', () => {
  it('keeps counters (and pattern summaries) with every telemetry flag on, and never throws', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', `${fixtures}hide-otel-api.mjs`, `${fixtures}counters-only.mjs`],
      { cwd: fixtures, timeout: 30_000 },
    );
    assert.equal(stderr, '');
    const result = JSON.parse(stdout);
    assert.equal(result.apiLoadable, false, 'the test hook must hide the API');
    assert.equal(result.stats.allocations, 3);
    assert.equal(result.stats.bytesAllocated, 60);
    assert.equal(result.stats.failures, 1);
    assert.equal(result.stats.resets, 1);
    assert.equal(result.stats.samples, 4); // rate 1: the three allocations and the failure
    assert.equal(result.summary.allocations, 2);
    assert.equal(result.summary.histogram, '16:1,32:1');
  });
});
