/**
 * Group commit with appends that overlap the COMMIT: a batch that arrives while a COMMIT runs is appended at
 * once but acknowledged only after the next commit, and when a commit fails, neither its group nor what was
 * appended during it is acknowledged or stored.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { decodeForStore } from '../src/receiver/decode-for-store.js';
import { IngestQueue } from '../src/store/ingest-queue.js';
import { createIngestStats } from '../src/store/ingest-stats.js';
import { Store } from '../src/store/store.js';
import { randomSpanId, randomTraceId, tracesProtobuf } from './support/payloads.js';
import { storedSpanCount, tempDataDir } from './support/viewer-fixture.js';

const NOW = BigInt(Date.now()) * 1_000_000n;

function spans(n: number): { traceId: string; batch: ReturnType<typeof decodeForStore>['batch'] } {
  const traceId = randomTraceId();
  const body = tracesProtobuf(
    Array.from({ length: n }, (_, i) => ({
      traceId,
      spanId: randomSpanId(),
      name: `op-${i}`,
      startNs: NOW,
      durationNs: 10n,
    })),
  );
  return { traceId, batch: decodeForStore('traces', 'protobuf', body).batch };
}

/** Holds the store's next COMMIT until `release()` (or fails it with `fail()`). */
function gateCommit(store: Store): { started: Promise<void>; release(): void; fail(): void } {
  const original = store.commitTransaction.bind(store);
  let started!: () => void;
  let open!: (ok: boolean) => void;
  const startedP = new Promise<void>((r) => {
    started = r;
  });
  const gate = new Promise<boolean>((r) => {
    open = r;
  });
  store.commitTransaction = async () => {
    store.commitTransaction = original;
    started();
    if (!(await gate)) throw new Error('injected commit failure');
    await original();
  };
  return { started: startedP, release: () => open(true), fail: () => open(false) };
}

describe('ingest queue', () => {
  let dataDir: string;
  let store: Store;
  let queue: IngestQueue;
  before(async () => {
    dataDir = tempDataDir();
    store = await Store.open({ dataDir });
    queue = new IngestQueue(store, createIngestStats());
  });
  after(async () => {
    await queue.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = (traceId: string): Promise<number> => storedSpanCount(store, traceId);

  function submit(b: ReturnType<typeof spans>): { done: Promise<void>; settled: () => boolean } {
    const r = queue.submit(1, b.batch);
    assert.ok(r instanceof Promise, String(r));
    let settled = false;
    const done = r.finally(() => {
      settled = true;
    });
    done.catch(() => {});
    return { done, settled: () => settled };
  }

  it('acknowledges a batch appended during a COMMIT only after the next commit', async () => {
    const commits: number[] = [];
    queue.on('commit', (c) => commits.push(c.spans));
    const a = spans(30);
    const b = spans(20);
    const gate = gateCommit(store);
    const ra = submit(a);
    await gate.started;
    const rb = submit(b);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ra.settled(), false);
    assert.equal(rb.settled(), false);
    assert.equal(await stored(b.traceId), 0);
    gate.release();
    await ra.done;
    await rb.done;
    assert.deepEqual(commits, [30, 20]);
    assert.equal(await stored(a.traceId), 30);
    assert.equal(await stored(b.traceId), 20);
    queue.removeAllListeners('commit');
  });

  it('refuses both the failed group and what was appended during its COMMIT', async () => {
    const a = spans(10);
    const b = spans(10);
    const gate = gateCommit(store);
    const ra = submit(a);
    await gate.started;
    const rb = submit(b);
    gate.fail();
    await assert.rejects(ra.done, /injected commit failure/);
    await assert.rejects(rb.done, /injected commit failure/);
    assert.equal(await stored(a.traceId), 0);
    assert.equal(await stored(b.traceId), 0);
    // the writer recovers: after the pause, new data commits (and nothing of the refused groups with it)
    await new Promise((r) => setTimeout(r, 1100));
    const c = spans(5);
    await submit(c).done;
    assert.equal(await stored(c.traceId), 5);
    assert.equal(await stored(a.traceId), 0);
    assert.equal(await stored(b.traceId), 0);
  });
});
