import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DemoResult } from '@sightline/demo';
import { startViewer, type Viewer } from '@sightline/viewer';
import { serviceUrls } from './support/services.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  service: string;
  status: { code: number };
  events: { name: string }[];
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}
interface ApiTrace {
  traceId: string;
  services: string[];
  errorCount: number;
  rootService: string | null;
  rootName: string | null;
}

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

describe('sightline demo --exit --duration 20s', () => {
  let dataDir: string;
  let result: DemoResult;
  let viewer: Viewer;
  let usedServices: { databaseUrl: string; redisUrl: string };
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${viewer.httpUrl}${path}`);
    assert.equal(response.status, 200, `${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  const q = (path: string) => `${path}${path.includes('?') ? '&' : '?'}run=${result.runId}`;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sightline-demo-'));
    usedServices = await serviceUrls();
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        'demo',
        '--exit',
        '--duration',
        '20s',
        '--leak',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--json',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DATABASE_URL: usedServices.databaseUrl,
          REDIS_URL: usedServices.redisUrl,
        },
        timeout: 150_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    result = JSON.parse(stdout) as DemoResult;
    // The demo closed its viewer; open the same store again to look at what it kept.
    viewer = await startViewer({ httpPort: 0, grpcPort: false, dataDir });
  });
  after(async () => {
    await viewer?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('summarises the run: traces, error traces, p50/p99 per gateway endpoint', () => {
    const { summary, load } = result;
    assert.ok(load.requests > 50, `only ${load.requests} requests in 20 s`);
    assert.ok(
      summary.traces >= load.requests * 0.9,
      `${summary.traces} traces for ${load.requests} requests`,
    );
    assert.ok(summary.errorTraces > 0, 'the reservations that fail on purpose leave error traces');
    assert.deepEqual(summary.services, ['gateway', 'inventory', 'orders', 'worker']);
    assert.deepEqual(
      summary.endpoints.map((e) => e.endpoint),
      [
        'GET /api/orders/:id',
        'GET /api/products/:sku',
        'GET /api/reports/daily',
        'POST /api/inventory/import',
        'POST /api/orders',
      ],
    );
    for (const e of summary.endpoints)
      assert.ok(e.p99Ms >= e.p50Ms && e.p50Ms > 0, JSON.stringify(e));
    const report = summary.endpoints.find((e) => e.endpoint === 'GET /api/reports/daily');
    assert.ok((report?.p50Ms ?? 0) >= 250, 'the slow endpoint is slow');
  });

  it('finds the leak in the inventory service, and only there', () => {
    const suspects = result.summary.heap.filter((h) => h.suspected).map((h) => h.service);
    assert.deepEqual(suspects, ['inventory'], JSON.stringify(result.summary.heap));
  });

  it('stores one trace per order across gateway, orders, inventory and worker, linked parent to child', async () => {
    const { traces } = await api<{ traces: ApiTrace[] }>(
      q(
        `/api/traces?service=gateway&operation=${encodeURIComponent('POST /api/orders')}&limit=100`,
      ),
    );
    const full = traces.find((t) => t.errorCount === 0 && t.services.length === 4);
    assert.ok(
      full,
      `no order trace spans all four services: ${JSON.stringify(traces.slice(0, 3))}`,
    );
    const { spans } = await api<{ spans: ApiSpan[] }>(`/api/traces/${full.traceId}`);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const roots = spans.filter((s) => s.parentSpanId === '');
    assert.deepEqual(
      roots.map((s) => [s.service, s.name, s.kind]),
      [['gateway', 'POST /api/orders', SERVER]],
    );
    for (const span of spans)
      if (span.parentSpanId) assert.ok(byId.has(span.parentSpanId), `orphan ${span.name}`);
    const parentOf = (s: ApiSpan) => byId.get(s.parentSpanId);
    const ancestors = (s: ApiSpan): ApiSpan[] => {
      const chain: ApiSpan[] = [];
      for (let p = parentOf(s); p; p = parentOf(p)) chain.push(p);
      return chain;
    };
    // Each hop: a SERVER span whose parent is a CLIENT span of the calling service.
    const hop = (service: string, caller: string) => {
      const server = spans.find((s) => s.service === service && s.kind === SERVER);
      assert.ok(server, `no ${service} server span`);
      const client = parentOf(server);
      assert.equal(client?.kind, CLIENT, `${service} server span's parent is not a client span`);
      assert.equal(client?.service, caller);
      return server;
    };
    const orders = hop('orders', 'gateway');
    const inventory = hop('inventory', 'orders');
    // Baggage set at the gateway crossed both hops and was copied onto the spans there.
    for (const span of [orders, inventory])
      assert.match(
        String(span.attributes['baggage.demo.customer.tier']),
        /^(gold|standard)$/,
        span.name,
      );
    const worker = hop('worker', 'orders');
    assert.ok(
      ancestors(worker).some((s) => s.kind === PRODUCER && s.name === 'shop.publish_order_event'),
      'the worker was reached from the producer span',
    );
    // The database layer, from the pg instrumentation or the databaseSpans stand-in.
    assert.ok(
      spans.some(
        (s) => s.service === 'orders' && s.kind === CLIENT && /INSERT|BEGIN|COMMIT|pg/.test(s.name),
      ),
      `no database span: ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`,
    );
  });

  it('stores batch traces whose consumer span links to the requests that produced them', async () => {
    const { traces } = await api<{ traces: ApiTrace[] }>(
      q(
        `/api/traces?service=worker&operation=${encodeURIComponent('process order-events')}&limit=20`,
      ),
    );
    assert.ok(traces.length > 0, 'no batch traces');
    for (const trace of traces) assert.equal(trace.rootName, 'process order-events');
    const all = await Promise.all(
      traces.map((t) => api<{ spans: ApiSpan[] }>(`/api/traces/${t.traceId}`)),
    );
    const reached = all.filter(({ spans }) =>
      spans.some((s) => s.service === 'orders' && s.kind === SERVER),
    );
    // The demo stops every service at once: a batch still running then may find orders gone.
    assert.ok(
      reached.length > 0 && reached.length >= traces.length - 1,
      `fulfilment reached orders in ${reached.length} of ${traces.length} batch traces`,
    );
    const { spans } = reached[0] as { spans: ApiSpan[] };
    const consumer = spans.find((s) => s.kind === CONSUMER);
    assert.ok(consumer && consumer.links.length > 0, 'the consumer span has no links');
    const link = consumer.links[0] as { traceId: string; spanId: string };
    const produced = await api<{ spans: ApiSpan[] }>(`/api/traces/${link.traceId}`);
    const producer = produced.spans.find((s) => s.spanId === link.spanId);
    assert.equal(producer?.kind, PRODUCER);
    assert.equal(producer?.service, 'orders');
  });

  it('parses stock imports in an arena, inside the request trace', async () => {
    const { traces } = await api<{ traces: ApiTrace[] }>(
      q(
        `/api/traces?service=gateway&operation=${encodeURIComponent('POST /api/inventory/import')}&limit=5`,
      ),
    );
    assert.ok(traces.length > 0, 'no import traces');
    const { spans } = await api<{ spans: ApiSpan[] }>(
      `/api/traces/${(traces[0] as ApiTrace).traceId}`,
    );
    const parse = spans.find((s) => s.name === 'shop.parse_import');
    assert.equal(parse?.service, 'inventory');
    assert.equal(parse?.attributes['shop.parser'], 'arena');
    const pattern = spans.find((s) => s.name === 'parse-stock-import');
    assert.ok(pattern, `no arena pattern span in ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(pattern.parentSpanId, parse?.spanId);
  });

  it('keeps error traces with the exception recorded where it happened', async () => {
    const { traces } = await api<{ traces: ApiTrace[] }>(
      q('/api/traces?status=error&service=inventory&limit=20'),
    );
    assert.ok(traces.length > 0, 'no error traces');
    const { spans } = await api<{ spans: ApiSpan[] }>(
      `/api/traces/${(traces[0] as ApiTrace).traceId}`,
    );
    const failed = spans.filter((s) => s.status.code === 2);
    assert.ok(
      failed.some((s) => s.service === 'inventory' && s.events.some((e) => e.name === 'exception')),
    );
    assert.ok(
      failed.some((s) => s.service === 'gateway' && s.kind === SERVER),
      'the error reached the entry span',
    );
  });

  it('stores metrics and logs from every service', async () => {
    const { metrics } = await api<{ metrics: { name: string; services: string[] }[] }>(
      q('/api/metrics?limit=1000'),
    );
    const http = metrics.find((m) => m.name === 'http.server.request.duration');
    assert.deepEqual(http?.services.slice().sort(), ['gateway', 'inventory', 'orders', 'worker']);
    assert.ok(metrics.some((m) => m.name === 'sightline.demo.heap.live'));
    assert.ok(
      metrics.some(
        (m) => m.name.startsWith('sightline.arena.') && m.services.includes('inventory'),
      ),
      'the import parser arena reports its metrics',
    );
    const { logs } = await api<{
      logs: { service: string; traceId: string; severityNumber: number }[];
    }>(q('/api/logs?limit=1000'));
    assert.deepEqual([...new Set(logs.map((l) => l.service))].sort(), [
      'gateway',
      'inventory',
      'orders',
      'worker',
    ]);
    assert.ok(
      logs.some((l) => l.severityNumber >= 17 && l.traceId.length === 32),
      'an error log in a trace',
    );
  });
});
