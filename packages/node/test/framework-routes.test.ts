import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { init, type SightlineHandle } from '../src/index.js';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';

// Loaded with require, after init(): express is patched through require hooks.
const require = createRequire(import.meta.url);
const SERVER = 2;

describe('route names from real express and fastify servers', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      service: { name: 'framework-test' },
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exportIntervalMillis: 60_000 },
      logs: { exporters: ['none'] },
      instrumentations: { enabled: ['http', 'express', 'fastify'] },
      shutdown: { handleSignals: false },
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  async function serverSpan(path: string): Promise<ReceivedSpan> {
    await sightline.flush();
    return receiver.waitFor(
      () => receiver.spans.find((s) => s.kind === SERVER && s.attributes['url.path'] === path),
      { what: `the server span of ${path}` },
    );
  }

  async function routeOnDuration(route: string): Promise<boolean> {
    await sightline.flush();
    const metric = receiver.metrics.findLast((m) => m.name === 'http.server.request.duration');
    return metric?.points.some((p) => p.attributes['http.route'] === route) ?? false;
  }

  it('express: names the server span after the matched route, router prefix included', async () => {
    const express = require('express');
    const app = express();
    const users = express.Router();
    users.get('/:id', (req: { params: { id: string } }, res: { json(v: unknown): void }) =>
      res.json({ id: req.params.id }),
    );
    app.use('/users', users);
    app.get('/orders/:orderId/items/:itemId', (_req: unknown, res: { send(v: string): void }) =>
      res.send('ok'),
    );
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.deepEqual(await (await fetch(`${base}/users/42`)).json(), { id: '42' });
      assert.equal(await (await fetch(`${base}/orders/7/items/9`)).text(), 'ok');
      const user = await serverSpan('/users/42');
      assert.equal(user.name, 'GET /users/:id');
      assert.equal(user.attributes['http.route'], '/users/:id');
      const item = await serverSpan('/orders/7/items/9');
      assert.equal(item.name, 'GET /orders/:orderId/items/:itemId');
      // The contrib's own handler span sits under the server span.
      await receiver.waitFor(
        () =>
          receiver.spans.find(
            (s) =>
              s.scope.name === '@opentelemetry/instrumentation-express' &&
              s.traceId === user.traceId,
          ),
        { what: 'an express layer span' },
      );
      assert.ok(await routeOnDuration('/users/:id'), 'http.route on the duration metric');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fastify: names the server span after the matched route, prefix included', async () => {
    const { default: Fastify } = await import('fastify');
    const app = Fastify();
    app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    await app.register(
      async (scoped) => {
        scoped.post('/carts/:cartId', async () => ({ ok: true }));
      },
      { prefix: '/api' },
    );
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      assert.deepEqual(await (await fetch(`${address}/items/5`)).json(), { id: '5' });
      const posted = await fetch(`${address}/api/carts/c1`, { method: 'POST' });
      assert.equal(posted.status, 200);
      const item = await serverSpan('/items/5');
      assert.equal(item.name, 'GET /items/:id');
      assert.equal(item.attributes['http.route'], '/items/:id');
      const cart = await serverSpan('/api/carts/c1');
      assert.equal(cart.name, 'POST /api/carts/:cartId');
      assert.ok(await routeOnDuration('/items/:id'), 'http.route on the duration metric');
      // An unmatched path keeps the method-only name: no raw path becomes a route.
      await fetch(`${address}/nowhere/123`);
      const missing = await serverSpan('/nowhere/123');
      assert.equal(missing.name, 'GET');
      assert.equal(missing.attributes['http.route'], undefined);
    } finally {
      await app.close();
    }
  });
});
