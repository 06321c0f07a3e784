import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

describe('sightline demo without --exit', () => {
  it('keeps serving after the summary, moves off a taken port, and stops cleanly on Ctrl-C', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sightline-demo-serve-'));
    // Something already holds the port the demo is asked for, as `sightline dev` would hold 4318.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    // Its own process group, so the SIGINT below reaches every process, as Ctrl-C in a terminal does.
    const child = spawn(
      process.execPath,
      [BIN, 'demo', '--duration', '3s', '--port', String(taken), '--data-dir', dataDir],
      {
        detached: true,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Serving until Ctrl-C')) {
        assert.equal(child.exitCode, null, `the demo exited early:\n${output}`);
        assert.ok(Date.now() < deadline, `no "Serving until Ctrl-C" within 90 s:\n${output}`);
        await sleep(100);
      }
      assert.match(output, new RegExp(`port ${taken} is taken`));
      const ui = /Open the UI: (http:\/\/\S+)/.exec(output)?.[1];
      assert.ok(ui && !ui.includes(`:${taken}/`), output);
      const gateway = /requests to (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      // Still serving: the gateway answers, the viewer answers.
      assert.equal((await fetch(`${gateway}/api/products/SKU-0001`)).status, 200);
      assert.equal((await fetch(`${ui}api/health`)).status, 200);

      process.kill(-(child.pid as number), 'SIGINT');
      const timeout = new Promise<string[]>((resolve) =>
        setTimeout(() => resolve(['timeout']), 30_000).unref(),
      );
      const [code] = await Promise.race([exited, timeout]);
      assert.equal(code, 0, output);
      await assert.rejects(fetch(`${gateway}/api/products/SKU-0001`), 'the services stopped too');
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
      squatter.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
