/**
 * Bad input gets a clear 4xx and the server keeps serving without damage to what is stored: truncated and
 * random protobuf, invalid JSON, wrong content types and methods, oversized and bomb-compressed bodies,
 * invalid ids (partial success when some items are fine). A full queue answers 429 with Retry-After.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { encode } from './support/otlp-proto.js';
import { post, randomSpanId, randomTraceId, tracesProtobuf } from './support/payloads.js';
import { type Fixture, startFixture } from './support/viewer-fixture.js';

const NOW = BigInt(Date.now()) * 1_000_000n;

function oneSpan(name: string) {
  return {
    traceId: randomTraceId(),
    spanId: randomSpanId(),
    name,
    startNs: NOW,
    durationNs: 1000n,
  };
}

describe('bad input', () => {
  let f: Fixture;
  let url: string;
  const good = oneSpan('good');
  before(async () => {
    f = await startFixture({ maxRequestBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 });
    url = `${f.viewer.httpUrl}/v1/traces`;
    const res = await post(url, tracesProtobuf([good]));
    assert.equal(res.status, 200);
  });
  after(async () => {
    await f.close();
  });

  async function stillIntact(): Promise<void> {
    const t = await f.api<{ spans: { name: string }[] }>(`/api/traces/${good.traceId}`);
    assert.deepEqual(
      t.spans.map((s) => s.name),
      ['good'],
    );
    assert.equal((await post(url, tracesProtobuf([oneSpan('after')]))).status, 200);
  }

  it('answers 400 with a reason for truncated protobuf', async () => {
    const body = tracesProtobuf([oneSpan('truncated')]);
    const res = await post(url, body.subarray(0, body.length - 7));
    assert.equal(res.status, 400);
    assert.match(res.body.toString('latin1'), /cannot decode the traces request/);
    await stillIntact();
  });

  it('answers 400 for random bytes, many times over, and keeps serving', async () => {
    let bad = 0;
    for (let i = 0; i < 200; i++) {
      const res = await post(url, randomBytes(1 + (i % 300)));
      // random bytes occasionally form a valid (empty or unknown-field) message: those get 200 with nothing stored
      assert.ok(res.status === 400 || res.status === 200, `status ${res.status}`);
      if (res.status === 400) bad++;
    }
    assert.ok(bad > 150, `${bad} of 200 random bodies were refused`);
    await stillIntact();
  });

  it('answers 400 for invalid JSON and for JSON of the wrong shape', async () => {
    const json = { 'content-type': 'application/json' };
    let res = await post(url, '{"resourceSpans": [', json);
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.body.toString()).message, /invalid JSON/);
    res = await post(url, '{"resourceSpans": {"a": 1}}', json);
    assert.equal(res.status, 400);
    res = await post(url, '[1,2]', json);
    assert.equal(res.status, 400);
    await stillIntact();
  });

  it('answers 415 for a wrong content type and 405 for GET', async () => {
    const res = await post(url, 'hello', { 'content-type': 'text/plain' });
    assert.equal(res.status, 415);
    assert.match(res.body.toString(), /unsupported content-type/);
    const get = await fetch(url);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    await stillIntact();
  });

  it('answers 413 for a body above maxRequestBytes', async () => {
    const res = await post(url, randomBytes(100 * 1024));
    assert.equal(res.status, 413);
    await stillIntact();
  });

  it('answers 413 for a gzip bomb (small on the wire, huge decompressed)', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} bytes on the wire`);
    const res = await post(url, bomb, {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    assert.equal(res.status, 413);
    assert.match(res.body.toString('latin1'), /decompressed body exceeds/);
    const corrupt = await post(url, Buffer.from([0x1f, 0x8b, 1, 2, 3]), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    assert.equal(corrupt.status, 400);
    await stillIntact();
  });

  it('rejects spans with invalid ids: 400 when all are bad, partial success when some are fine', async () => {
    const bad = encode('traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: Buffer.alloc(5, 1), spanId: Buffer.alloc(8, 1), name: 'short id' },
              ],
            },
          ],
        },
      ],
    });
    let res = await post(url, bad);
    assert.equal(res.status, 400);
    assert.match(res.body.toString('latin1'), /trace_id must be 16 bytes/);

    const fine = oneSpan('fine');
    const mixed = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: 'xyz', spanId: '0102030405060708', name: 'bad hex' },
                {
                  traceId: '00000000000000000000000000000000',
                  spanId: '0102030405060708',
                  name: 'zero',
                },
                {
                  traceId: fine.traceId,
                  spanId: fine.spanId,
                  name: 'fine',
                  startTimeUnixNano: String(NOW),
                  endTimeUnixNano: String(NOW + 5n),
                },
              ],
            },
          ],
        },
      ],
    };
    res = await post(url, JSON.stringify(mixed), { 'content-type': 'application/json' });
    assert.equal(res.status, 200);
    const ps = JSON.parse(res.body.toString()).partialSuccess;
    assert.equal(ps.rejectedSpans, '2');
    assert.match(ps.errorMessage, /traceId must be 32 hex characters/);
    const stored = await f.api<{ spans: { name: string }[] }>(`/api/traces/${fine.traceId}`);
    assert.equal(stored.spans[0]?.name, 'fine');
    const stats = await f.api<{ ingest: { rejectedItems: number; badRequests: number } }>(
      '/api/stats',
    );
    assert.ok(stats.ingest.rejectedItems >= 3);
    assert.ok(stats.ingest.badRequests >= 5);
    await stillIntact();
  });

  it('answers the API with 400 naming the parameter for bad query values', async () => {
    const r = await fetch(`${f.viewer.httpUrl}/api/traces?limit=100000`);
    assert.equal(r.status, 400);
    const body = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'bad_request');
    assert.match(body.error.message, /"limit"/);
    assert.equal((await fetch(`${f.viewer.httpUrl}/api/traces/not-an-id`)).status, 400);
    assert.equal((await fetch(`${f.viewer.httpUrl}/api/traces/${'a'.repeat(32)}`)).status, 404);
    assert.equal((await fetch(`${f.viewer.httpUrl}/api/nope`)).status, 404);
    assert.equal((await fetch(`${f.viewer.httpUrl}/api/traces?cursor=%%%`)).status, 400);
  });

  it('answers gRPC INVALID_ARGUMENT for undecodable messages', async () => {
    const g = await startFixture();
    try {
      const client = new grpc.Client(
        g.viewer.grpcAddress as string,
        grpc.credentials.createInsecure(),
      );
      const code = await new Promise<number>((resolve) => {
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from([0x0a, 0xff, 0xff]),
          (err) => resolve(err?.code ?? 0),
        );
      });
      client.close();
      assert.equal(code, grpc.status.INVALID_ARGUMENT);
    } finally {
      await g.close();
    }
  });
});

describe('backpressure', () => {
  it('answers 429 with Retry-After when the ingest queue is full, and nothing refused is stored', async () => {
    const f = await startFixture({ maxQueueItems: 10, grpcPort: false });
    try {
      const batches = Array.from({ length: 30 }, (_, i) =>
        Array.from({ length: 8 }, () => oneSpan(`batch-${i}`)),
      );
      const results = await Promise.all(
        batches.map((b) => post(`${f.viewer.httpUrl}/v1/traces`, tracesProtobuf(b))),
      );
      const ok = results.filter((r) => r.status === 200).length;
      const refused = results.filter((r) => r.status === 429);
      assert.ok(ok >= 1, 'some batches are accepted');
      assert.ok(refused.length >= 1, 'some batches are refused');
      assert.equal(ok + refused.length, 30);
      assert.equal(refused[0]?.headers.get('retry-after'), '1');
      const stats = await f.api<{ stored: { spans: number }; ingest: { refusedRequests: number } }>(
        '/api/stats',
      );
      assert.equal(stats.stored.spans, ok * 8);
      assert.equal(stats.ingest.refusedRequests, refused.length);
    } finally {
      await f.close();
    }
  });
});
