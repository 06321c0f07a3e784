/**
 * A viewer killed with SIGKILL in the middle of ingest loses nothing it acknowledged: every batch that got a
 * 200 is in the store when the data directory is opened again.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Store } from '../src/index.js';
import { post, randomSpanId, randomTraceId, tracesProtobuf } from './support/payloads.js';
import { tempDataDir } from './support/viewer-fixture.js';

const CHILD = fileURLToPath(new URL('./support/viewer-child.js', import.meta.url));

async function startChild(dataDir: string): Promise<{ child: ChildProcess; httpUrl: string }> {
  const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`viewer child exited with ${code}`)));
  });
  return { child, httpUrl: (JSON.parse(first) as { httpUrl: string }).httpUrl };
}

describe('durability', () => {
  it('keeps every acknowledged span when the process is killed with SIGKILL during ingest', async () => {
    const dataDir = tempDataDir();
    try {
      const { child, httpUrl } = await startChild(dataDir);
      const acked: string[] = [];
      let sent = 0;
      let stop = false;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const sender = async (): Promise<void> => {
        while (!stop) {
          const traceId = randomTraceId();
          const now = BigInt(Date.now()) * 1_000_000n;
          const spans = Array.from({ length: 200 }, (_, i) => ({
            traceId,
            spanId: randomSpanId(),
            name: `op-${i % 5}`,
            startNs: now,
            durationNs: 1000n,
          }));
          sent++;
          try {
            const res = await post(`${httpUrl}/v1/traces`, tracesProtobuf(spans));
            if (res.status === 200) acked.push(traceId);
          } catch {
            return; // connection reset by the kill
          }
        }
      };
      const senders = Array.from({ length: 4 }, sender);
      while (acked.length < 40) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await exited;
      stop = true;
      await Promise.all(senders);
      assert.ok(sent > acked.length, 'some requests were in flight when the process died');

      const store = await Store.open({ dataDir });
      try {
        const rows = await store.query(
          'SELECT trace_id, count(*) AS n FROM spans GROUP BY trace_id',
        );
        const counts = new Map(rows.map((r) => [String(r.trace_id), Number(r.n)]));
        for (const id of acked)
          assert.equal(counts.get(id), 200, `acknowledged trace ${id} is complete`);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops cleanly on SIGTERM after committing, and the run is marked ended', async () => {
    const dataDir = tempDataDir();
    try {
      const { child, httpUrl } = await startChild(dataDir);
      const traceId = randomTraceId();
      const res = await post(
        `${httpUrl}/v1/traces`,
        tracesProtobuf([
          { traceId, spanId: randomSpanId(), name: 'x', startNs: 1n, durationNs: 1n },
        ]),
      );
      assert.equal(res.status, 200);
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      assert.equal(code, 0);
      const store = await Store.open({ dataDir });
      try {
        const spans = await store.query('SELECT count(*) AS n FROM spans WHERE trace_id = $1', [
          traceId,
        ]);
        assert.equal(Number(spans[0]?.n), 1);
        const runs = await store.query('SELECT ended_ns FROM runs');
        assert.ok(runs[0]?.ended_ns !== null);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
