import assert from 'node:assert/strict';
import http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { DiagLogLevel, diag, metrics } from '@opentelemetry/api';
import { init } from '../src/index.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function scrape(
  port: number,
  path = '/metrics',
  token?: string,
): Promise<{ status: number; body: string }> {
  // The endpoint may need a moment to bind after init().
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** init() with metrics on the Prometheus endpoint only. */
function initWithPrometheus(prometheus: { port: number; token?: string }) {
  return init({
    traces: { exporters: ['none'] },
    logs: { exporters: ['none'] },
    metrics: { exporters: ['prometheus'], prometheus },
    shutdown: { handleSignals: false },
  });
}

describe('Prometheus exporter', () => {
  it('serves the metrics on loopback', async () => {
    const port = await freePort();
    const sightline = initWithPrometheus({ port });
    try {
      metrics
        .getMeter('shop')
        .createCounter('orders_placed', { description: 'Orders placed' })
        .add(5, { region: 'eu' });
      const { status, body } = await scrape(port);
      assert.equal(status, 200);
      assert.match(body, /orders_placed_total\{[^}]*region="eu"[^}]*\} 5/);
      assert.equal((await scrape(port, '/other')).status, 404);
    } finally {
      await sightline.shutdown();
    }
  });

  it('serves the HTTP duration histograms Sightline aggregates itself, with every request', async () => {
    const port = await freePort();
    const sightline = initWithPrometheus({ port });
    const app = http.createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const appPort = (app.address() as AddressInfo).port;
      for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${appPort}/x`)).text();
      const { body } = await scrape(port);
      assert.match(body, /# TYPE http_server_request_duration histogram/);
      assert.match(
        body,
        /http_server_request_duration_count\{[^}]*http_request_method="GET"[^}]*http_response_status_code="200"[^}]*\} 3/,
      );
      assert.match(body, /http_server_request_duration_bucket\{[^}]*le="0\.005"[^}]*\} \d/);
      assert.match(body, /http_client_request_duration_count\{[^}]*server_port="\d+"[^}]*\} 3/);
    } finally {
      app.close();
      await sightline.shutdown();
    }
  });

  it('requires the bearer token when one is configured', async () => {
    const port = await freePort();
    const sightline = initWithPrometheus({ port, token: 's3cret' });
    try {
      metrics.getMeter('shop').createCounter('logins').add(1);
      assert.equal((await scrape(port)).status, 401);
      assert.equal((await scrape(port, '/metrics', 'wrong')).status, 401);
      const ok = await scrape(port, '/metrics', 's3cret');
      assert.equal(ok.status, 200);
      assert.match(ok.body, /logins_total/);
    } finally {
      await sightline.shutdown();
    }
  });

  it('reports a port already in use through diag instead of throwing', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const sightline = init({
        traces: { exporters: ['none'] },
        logs: { exporters: ['none'] },
        metrics: { exporters: ['prometheus'], prometheus: { port } },
        shutdown: { handleSignals: false },
      });
      // Capture after init(), which installs its own diagnostic logger; the bind fails asynchronously.
      const errors: string[] = [];
      diag.setLogger(
        {
          error: (m) => errors.push(m),
          warn: () => {},
          info: () => {},
          debug: () => {},
          verbose: () => {},
        },
        { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true },
      );
      for (let i = 0; i < 100 && errors.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      diag.disable();
      assert.match(
        errors[0] ?? '',
        new RegExp(`Prometheus exporter cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
      );
      await sightline.shutdown();
    } finally {
      blocker.close();
    }
  });
});
