/**
 * Binding: loopback by default, a non-loopback address only with a token. With a token, every OTLP (HTTP and
 * gRPC), API and UI request must present it; the UI gets it once through `?token=`, which sets a cookie.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { SightlineError, startViewer } from '../src/index.js';
import { post, randomSpanId, randomTraceId, tracesProtobuf } from './support/payloads.js';
import { startFixture, tempDataDir } from './support/viewer-fixture.js';

const TOKEN = 'correct-horse-battery';

describe('security', () => {
  it('binds 127.0.0.1 by default', async () => {
    const f = await startFixture();
    try {
      assert.match(f.viewer.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(f.viewer.grpcAddress ?? '', /^127\.0\.0\.1:\d+$/);
    } finally {
      await f.close();
    }
  });

  it('refuses a non-loopback address without a token', async () => {
    await assert.rejects(
      startViewer({ host: '0.0.0.0', httpPort: 0, grpcPort: 0, dataDir: tempDataDir() }),
      (e: unknown) =>
        e instanceof SightlineError && e.code === 'SIGHTLINE_ERR_VIEWER_TOKEN_REQUIRED',
    );
    await assert.rejects(
      startViewer({ httpPort: 0, token: 'short', dataDir: tempDataDir() }),
      (e: unknown) => e instanceof SightlineError && e.code === 'SIGHTLINE_ERR_VIEWER_OPTION',
    );
  });

  it('requires the token on OTLP/HTTP, the API, the UI and live events', async () => {
    const f = await startFixture({ token: TOKEN });
    try {
      const url = f.viewer.httpUrl;
      const body = tracesProtobuf([
        {
          traceId: randomTraceId(),
          spanId: randomSpanId(),
          name: 'x',
          startNs: 1n,
          durationNs: 1n,
        },
      ]);
      assert.equal((await post(`${url}/v1/traces`, body)).status, 401);
      assert.equal(
        (
          await post(`${url}/v1/traces`, body, {
            'content-type': 'application/x-protobuf',
            authorization: 'Bearer nope-nope-nope',
          })
        ).status,
        401,
      );
      assert.equal(
        (
          await post(`${url}/v1/traces`, body, {
            'content-type': 'application/x-protobuf',
            authorization: `Bearer ${TOKEN}`,
          })
        ).status,
        200,
      );
      assert.equal((await fetch(`${url}/api/stats`)).status, 401);
      assert.equal((await fetch(`${url}/api/live`)).status, 401);
      assert.equal((await fetch(`${url}/`)).status, 401);
      const ok = await fetch(`${url}/api/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { stored: { spans: number } }).stored.spans, 1);

      assert.equal(
        (await fetch(`${url}/?token=wrong-token-here`, { redirect: 'manual' })).status,
        401,
      );
      const login = await fetch(`${url}/traces?token=${TOKEN}&x=1`, { redirect: 'manual' });
      assert.equal(login.status, 303);
      assert.equal(login.headers.get('location'), '/traces?x=1');
      const cookie = login.headers.get('set-cookie') ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const withCookie = await fetch(`${url}/api/stats`, {
        headers: { cookie: cookie.split(';')[0] as string },
      });
      assert.equal(withCookie.status, 200);
      const ui = await fetch(`${url}/`, { headers: { cookie: cookie.split(';')[0] as string } });
      assert.equal(ui.status, 200);
    } finally {
      await f.close();
    }
  });

  it('requires the token on OTLP/gRPC', async () => {
    const f = await startFixture({ token: TOKEN });
    try {
      const client = new grpc.Client(
        f.viewer.grpcAddress as string,
        grpc.credentials.createInsecure(),
      );
      const call = (md: grpc.Metadata) =>
        new Promise<number>((resolve) => {
          client.makeUnaryRequest(
            '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
            (b: Buffer) => b,
            (b: Buffer) => b,
            Buffer.from(
              tracesProtobuf([
                {
                  traceId: randomTraceId(),
                  spanId: randomSpanId(),
                  name: 'g',
                  startNs: 1n,
                  durationNs: 1n,
                },
              ]),
            ),
            md,
            (err) => resolve(err?.code ?? 0),
          );
        });
      assert.equal(await call(new grpc.Metadata()), grpc.status.UNAUTHENTICATED);
      const md = new grpc.Metadata();
      md.set('authorization', `Bearer ${TOKEN}`);
      assert.equal(await call(md), grpc.status.OK);
      client.close();
    } finally {
      await f.close();
    }
  });

  it('listens on a non-loopback address when a token is given', async () => {
    const f = await startFixture({ host: '0.0.0.0', token: TOKEN, grpcPort: false });
    try {
      const port = new URL(f.viewer.httpUrl).port;
      const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(res.status, 200);
    } finally {
      await f.close();
    }
  });
});
