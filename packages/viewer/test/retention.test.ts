/** Retention by age and by size evicts the oldest data and says so in /api/stats and over /api/live. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { post, randomSpanId, randomTraceId, tracesProtobuf } from './support/payloads.js';
import { startFixture } from './support/viewer-fixture.js';

const MS = 1_000_000n;
const BATCHES = 40;

interface Stats {
  stored: { spans: number; diskBytes: number };
  limits: { maxBytes: number; maxAgeMs: number };
  evicted: { spans: number; byAge: number; bySize: number; lastEvictionMs: number | null };
}

describe('retention', () => {
  it('evicts data older than maxAgeMs and counts it', async () => {
    const f = await startFixture({ maxAgeMs: 3_600_000, grpcPort: false });
    try {
      const now = BigInt(Date.now()) * MS;
      const old = randomTraceId();
      const fresh = randomTraceId();
      const spans = [
        ...Array.from({ length: 5 }, () => ({
          traceId: old,
          spanId: randomSpanId(),
          name: 'old',
          startNs: now - 2n * 3_600_000n * MS,
          durationNs: MS,
        })),
        { traceId: fresh, spanId: randomSpanId(), name: 'fresh', startNs: now, durationNs: MS },
      ];
      assert.equal(
        (await post(`${f.viewer.httpUrl}/v1/traces`, tracesProtobuf(spans))).status,
        200,
      );
      await f.viewer.enforceRetention();
      const stats = await f.api<Stats>('/api/stats');
      assert.equal(stats.stored.spans, 1);
      assert.equal(stats.evicted.spans, 5);
      assert.equal(stats.evicted.byAge, 5);
      assert.equal(stats.limits.maxAgeMs, 3_600_000);
      assert.ok(stats.evicted.lastEvictionMs);
      assert.equal((await fetch(`${f.viewer.httpUrl}/api/traces/${old}`)).status, 404);
      assert.equal((await fetch(`${f.viewer.httpUrl}/api/traces/${fresh}`)).status, 200);
    } finally {
      await f.close();
    }
  });

  it('evicts the oldest data when the store exceeds maxBytes, and the counts survive a restart', async () => {
    const maxBytes = 12 * 1024 * 1024;
    const f = await startFixture({ maxBytes, grpcPort: false });
    let dataDir = f.dataDir;
    try {
      const base = BigInt(Date.now() - 600_000) * MS;
      const ids: string[] = [];
      for (let batch = 0; batch < BATCHES; batch++) {
        const traceId = randomTraceId();
        ids.push(traceId);
        const spans = Array.from({ length: 1000 }, (_, i) => ({
          traceId,
          spanId: randomSpanId(),
          name: `op-${i}`,
          startNs: base + BigInt(batch * 1000 + i) * MS,
          durationNs: MS,
          attributes: { payload: randomBytes(256).toString('base64'), i },
        }));
        assert.equal(
          (await post(`${f.viewer.httpUrl}/v1/traces`, tracesProtobuf(spans))).status,
          200,
        );
      }
      await f.viewer.store.checkpoint();
      const before = await f.api<Stats>('/api/stats');
      assert.ok(before.stored.diskBytes > maxBytes, `store holds ${before.stored.diskBytes} bytes`);
      await f.viewer.enforceRetention();
      const after = await f.api<Stats>('/api/stats');
      assert.ok(after.evicted.bySize > 0, 'something was evicted by size');
      assert.equal(after.evicted.spans, BATCHES * 1000 - after.stored.spans);
      assert.ok(
        after.stored.diskBytes <= maxBytes,
        `store now holds ${after.stored.diskBytes} bytes`,
      );
      // oldest first: the newest batch is whole, the oldest is gone
      assert.equal((await fetch(`${f.viewer.httpUrl}/api/traces/${ids[0]}`)).status, 404);
      const newest = await f.api<{ spanCount: number }>(`/api/traces/${ids[BATCHES - 1]}`);
      assert.equal(newest.spanCount, 1000);
      dataDir = f.dataDir;
      await f.close({ keepData: true });
      const again = await startFixture({ dataDir, maxBytes, grpcPort: false });
      try {
        const s = await again.api<Stats>('/api/stats');
        assert.equal(s.evicted.spans, after.evicted.spans);
      } finally {
        await again.close();
      }
    } catch (error) {
      await f.close().catch(() => {});
      throw error;
    }
  });
});
