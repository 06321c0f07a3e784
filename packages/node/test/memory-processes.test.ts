import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../../test/fixtures/memory-child.mjs', import.meta.url));
/** How long each child runs; the leaking one must be flagged well within it. */
const RUN_MILLIS = 75_000;
/** The documented bound for the accelerated settings in memory-child.mjs (docs/memory.md). */
const FLAG_WITHIN_MILLIS = 60_000;

interface ChildLine {
  type: 'verdict' | 'end';
  pool?: string;
  severity?: string;
  at?: number;
  growthBytesPerHour?: number;
  majorGcs?: number;
}

/** Runs the fixture in a real child process (a 256 MiB old space makes major GCs come every ~second). */
function runChild(mode: 'leak' | 'steady'): Promise<ChildLine[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=256', CHILD, mode, String(RUN_MILLIS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${mode} child exited with ${code}: ${out}`));
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as ChildLine),
      );
    });
  });
}

describe('leak detection in real processes (accelerated settings)', () => {
  it('flags a child leaking ~20 MB/min, and not a steady allocation-heavy one', async () => {
    const [leak, steady] = await Promise.all([runChild('leak'), runChild('steady')]);
    const first = leak.find(
      (l) => l.type === 'verdict' && l.pool === 'heap' && l.severity !== 'none',
    );
    assert.ok(first, `the leaking child was not flagged: ${JSON.stringify(leak)}`);
    assert.ok((first.at ?? Infinity) <= FLAG_WITHIN_MILLIS, `flagged only after ${first.at} ms`);
    // 20 MB/min is 1.2 GB/h; the Theil–Sen estimate should be in that region.
    const rate = first.growthBytesPerHour ?? 0;
    assert.ok(rate > 0.6e9 && rate < 2.4e9, `growth estimate ${rate} B/h`);

    const flagged = steady.filter((l) => l.type === 'verdict' && l.severity !== 'none');
    assert.deepEqual(flagged, [], 'the steady child was flagged');
    const end = steady.find((l) => l.type === 'end');
    assert.ok(
      (end?.majorGcs ?? 0) >= 20,
      `the steady child had too few major GCs: ${end?.majorGcs}`,
    );
  });
});
