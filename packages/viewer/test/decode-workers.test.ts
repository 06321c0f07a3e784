/**
 * Decoding in worker threads (DecodePool): the same store batch as inline decoding, 400 with the reason for
 * malformed data, 429 when the workers fall behind, and a worker that dies loses nothing acknowledged and
 * acknowledges nothing twice: the requests it held get 503, a new worker takes over, retries store once.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { decodeForStore } from '../src/receiver/decode-for-store.js';
import { DecodeBusy, DecodeFailed, DecodePool, DecoderLost } from '../src/receiver/decode-pool.js';
import { type IngestOutcome, type IngestTarget, ingest } from '../src/receiver/ingest-target.js';
import { IngestQueue } from '../src/store/ingest-queue.js';
import { createIngestStats } from '../src/store/ingest-stats.js';
import { Store } from '../src/store/store.js';
import { CRASH_MARK } from './support/crashing-decode-worker.js';
import { post, randomSpanId, randomTraceId, tracesProtobuf } from './support/payloads.js';
import {
  type Fixture,
  startFixture,
  storedSpanCount,
  tempDataDir,
} from './support/viewer-fixture.js';

const NOW = BigInt(Date.now()) * 1_000_000n;
const CRASHING_WORKER = new URL('./support/crashing-decode-worker.js', import.meta.url);

/** A request of `spans` spans in one new trace. */
function traceRequest(spans: number, name = 'op'): { traceId: string; body: Uint8Array } {
  const traceId = randomTraceId();
  const body = tracesProtobuf(
    Array.from({ length: spans }, (_, i) => ({
      traceId,
      spanId: randomSpanId(),
      name: `${name}-${i}`,
      startNs: NOW + BigInt(i),
      durationNs: 1000n,
      attributes: { 'user.id': `u-${i}`, 'http.status_code': 200, ok: true, 'é ✓': 'ünïcode' },
      service: i % 2 ? 'a' : 'b',
    })),
  );
  return { traceId, body };
}

function poison(): Uint8Array {
  return Uint8Array.from([...CRASH_MARK, 1, 2, 3]);
}

describe('decode workers', () => {
  it('decode a request into the same store batch as the main thread does', async () => {
    const pool = new DecodePool({ workers: 1, minBytes: 0 });
    try {
      const { body } = traceRequest(50);
      const inWorker = await pool.decode('traces', 'protobuf', body);
      assert.deepEqual(inWorker, decodeForStore('traces', 'protobuf', body));
      assert.equal(inWorker.items, 50);
    } finally {
      await pool.close();
    }
  });

  it('reject malformed protobuf with the decoder reason and keep decoding', async () => {
    const pool = new DecodePool({ workers: 1, minBytes: 0 });
    try {
      const { body } = traceRequest(3);
      await assert.rejects(
        pool.decode('traces', 'protobuf', body.subarray(0, body.length - 5)),
        (e: Error) => e instanceof DecodeFailed && /past the end|truncated/.test(e.message),
      );
      assert.equal((await pool.decode('traces', 'protobuf', body)).items, 3);
    } finally {
      await pool.close();
    }
  });

  it('refuse new work while too many bytes wait for the workers', async () => {
    const pool = new DecodePool({ workers: 1, minBytes: 0, maxPendingBytes: 1 });
    try {
      const { body } = traceRequest(5);
      const first = pool.decode('traces', 'protobuf', body);
      await assert.rejects(pool.decode('traces', 'protobuf', body), DecodeBusy);
      assert.equal((await first).items, 5);
    } finally {
      await pool.close();
    }
  });

  it('fail the requests a dying worker held and start a new worker', async () => {
    const pool = new DecodePool({ workers: 1, minBytes: 0, workerUrl: CRASHING_WORKER });
    try {
      const { body } = traceRequest(2);
      const results = await Promise.allSettled([
        pool.decode('traces', 'protobuf', poison()),
        pool.decode('traces', 'protobuf', body),
      ]);
      for (const r of results)
        assert.ok(r.status === 'rejected' && r.reason instanceof DecoderLost, String(r.status));
      while (pool.workers === 0) await new Promise((r) => setTimeout(r, 5));
      assert.equal(pool.restarts, 1);
      assert.equal((await pool.decode('traces', 'protobuf', body)).items, 2);
    } finally {
      await pool.close();
    }
  });

  describe('with the store', () => {
    let dataDir: string;
    let store: Store;
    let queue: IngestQueue;
    let pool: DecodePool;
    let target: IngestTarget;
    before(async () => {
      dataDir = tempDataDir();
      store = await Store.open({ dataDir });
      const stats = createIngestStats();
      queue = new IngestQueue(store, stats);
      pool = new DecodePool({ workers: 1, minBytes: 0, workerUrl: CRASHING_WORKER });
      target = { queue, stats, runId: () => 1, decoder: pool };
    });
    after(async () => {
      await pool.close();
      await queue.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a worker dying mid-ingest loses nothing acknowledged and stores every retry once', async () => {
      const requests = Array.from({ length: 12 }, (_, i) => traceRequest(20, `r${i}`));
      const outcomes: IngestOutcome[] = await Promise.all([
        ...requests.slice(0, 6).map((r) => ingest(target, 'traces', 'protobuf', r.body)),
        ingest(target, 'traces', 'protobuf', poison()),
        ...requests.slice(6).map((r) => ingest(target, 'traces', 'protobuf', r.body)),
      ]);
      const poisoned = outcomes.splice(6, 1)[0];
      assert.equal(poisoned?.kind, 'unavailable');
      const retry: typeof requests = [];
      for (const [i, o] of outcomes.entries()) {
        const r = requests[i] as (typeof requests)[number];
        assert.ok(o.kind === 'ok' || o.kind === 'unavailable', o.kind);
        // acknowledged means stored; refused means not stored at all
        assert.equal(await storedSpanCount(store, r.traceId), o.kind === 'ok' ? 20 : 0);
        if (o.kind !== 'ok') retry.push(r);
      }
      assert.ok(retry.length > 0, 'the poison should have taken queued requests with it');
      for (const r of retry) {
        let o = await ingest(target, 'traces', 'protobuf', r.body);
        // the replacement worker may still be starting: then the request decodes inline
        while (o.kind === 'unavailable') o = await ingest(target, 'traces', 'protobuf', r.body);
        assert.equal(o.kind, 'ok');
      }
      for (const r of requests) assert.equal(await storedSpanCount(store, r.traceId), 20);
    });
  });

  describe('in the viewer', () => {
    let f: Fixture;
    before(async () => {
      f = await startFixture({ decodeWorkers: 1, decodeWorkerMinBytes: 0 });
    });
    after(async () => {
      await f.close();
    });

    it('stores what the workers decoded and answers 400 with a reason for malformed data', async () => {
      const url = `${f.viewer.httpUrl}/v1/traces`;
      const { traceId, body } = traceRequest(30);
      assert.equal((await post(url, body)).status, 200);
      const bad = await post(url, body.subarray(0, body.length - 3));
      assert.equal(bad.status, 400);
      assert.match(
        bad.body.toString('latin1'),
        /cannot decode the traces request: .*(end|truncated)/,
      );
      const t = await f.api<{ spans: { name: string; attributes: Record<string, unknown> }[] }>(
        `/api/traces/${traceId}`,
      );
      assert.equal(t.spans.length, 30);
      const first = t.spans.find((s) => s.name === 'op-0');
      assert.deepEqual(first?.attributes, {
        'user.id': 'u-0',
        'http.status_code': 200,
        ok: true,
        'é ✓': 'ünïcode',
      });
    });
  });
});
