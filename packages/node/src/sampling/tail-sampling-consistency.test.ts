import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to dist/src/sampling/; the fixtures stay in test/fixtures/.
const FIXTURE = fileURLToPath(
  new URL('../../../test/fixtures/tail-fallback-process.mjs', import.meta.url),
);

function run(
  role: string,
  seed: number,
  count: number,
  ratio: number,
): Promise<{
  pid: number;
  kept: number;
  digest: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FIXTURE, role, String(seed), String(count), String(ratio)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${role} exited with ${code}`)),
    );
  });
}

describe('tail sampling across processes', () => {
  it('keeps the same fallback traces in two services, within ±2% of the ratio', async () => {
    const count = 100_000;
    const [upstream, downstream] = await Promise.all([
      run('upstream', 42, count, 0.1),
      run('downstream', 42, count, 0.1),
    ]);
    assert.notEqual(upstream.pid, downstream.pid);
    assert.ok(Math.abs(upstream.kept / count - 0.1) <= 0.002, `kept ${upstream.kept}`);
    assert.equal(downstream.kept, upstream.kept);
    assert.equal(downstream.digest, upstream.digest);
  });
});
