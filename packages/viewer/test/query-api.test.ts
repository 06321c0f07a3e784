/**
 * The query API over known telemetry: services and operations, trace search filters and pagination, one
 * trace, service map and RED, runs and their comparison (which also proves a restart keeps the data), live
 * events, and the UI's static files with strict headers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  post,
  randomSpanId,
  randomTraceId,
  type SpanSpec,
  tracesProtobuf,
} from './support/payloads.js';
import { type Fixture, startFixture, tempDataDir } from './support/viewer-fixture.js';

const MS = 1_000_000n;
const T0 = BigInt(Date.now() - 60_000) * MS;

/** 10 traces: frontend GET /checkout (10+i ms) → checkout POST /pay (payMs), trace 0's child fails. */
function traces(payMs: number, offsetMs = 0): { specs: SpanSpec[]; ids: string[] } {
  const specs: SpanSpec[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const traceId = randomTraceId();
    ids.push(traceId);
    const root = randomSpanId();
    const start = T0 + BigInt(offsetMs + i * 1000) * MS;
    specs.push({
      traceId,
      spanId: root,
      name: 'GET /checkout',
      kind: 2,
      startNs: start,
      durationNs: BigInt(10 + i) * MS,
      service: 'frontend',
      attributes: { 'user.tier': i % 2 ? 'gold' : 'free', 'http.status_code': 200 },
    });
    specs.push({
      traceId,
      spanId: randomSpanId(),
      parentSpanId: root,
      name: 'POST /pay',
      kind: 2,
      startNs: start + MS,
      durationNs: BigInt(payMs) * MS,
      service: 'checkout',
      status: i === 0 ? 2 : 0,
    });
  }
  return { specs, ids };
}

interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

describe('query API', () => {
  let f: Fixture;
  let dataDir: string;
  let first: { ids: string[] };
  before(async () => {
    dataDir = tempDataDir();
    f = await startFixture({ dataDir, runName: 'before', grpcPort: false });
    const t = traces(5);
    first = t;
    assert.equal(
      (await post(`${f.viewer.httpUrl}/v1/traces`, tracesProtobuf(t.specs))).status,
      200,
    );
  });
  after(async () => {
    await f.close();
  });

  it('lists services and operations', async () => {
    const s = await f.api<{ services: { name: string; spanCount: number; errorCount: number }[] }>(
      '/api/services',
    );
    assert.deepEqual(
      s.services.map((x) => [x.name, x.spanCount, x.errorCount]),
      [
        ['checkout', 10, 1],
        ['frontend', 10, 0],
      ],
    );
    const o = await f.api<{ operations: { service: string; name: string; kind: number }[] }>(
      '/api/operations?service=checkout',
    );
    assert.deepEqual(o.operations, [
      { service: 'checkout', name: 'POST /pay', kind: 2, spanCount: 10 },
    ]);
  });

  it('searches traces by service, status, duration and attributes', async () => {
    const q = (qs: string) => f.api<{ traces: TraceSummary[] }>(`/api/traces?${qs}`);
    const errors = await q('service=checkout&status=error');
    assert.equal(errors.traces.length, 1);
    assert.equal(errors.traces[0]?.traceId, first.ids[0]);
    assert.equal(errors.traces[0]?.rootName, 'GET /checkout');
    assert.equal(errors.traces[0]?.rootService, 'frontend');
    assert.equal(errors.traces[0]?.spanCount, 2);
    assert.equal(errors.traces[0]?.errorCount, 1);
    assert.deepEqual(errors.traces[0]?.services, ['checkout', 'frontend']);
    assert.equal(errors.traces[0]?.durationMs, 10);
    const slow = await q('operation=GET%20/checkout&minDurationMs=15');
    assert.equal(slow.traces.length, 5);
    const band = await q('minDurationMs=12&maxDurationMs=13');
    assert.equal(band.traces.length, 2);
    const gold = await q('attr=user.tier=gold');
    assert.equal(gold.traces.length, 5);
    const has = await q('attr=user.tier&attr=http.status_code=200');
    assert.equal(has.traces.length, 10);
    const byResource = await q('attr=service.name=checkout');
    assert.equal(byResource.traces.length, 10);
    const none = await q('attr=user.tier=platinum');
    assert.equal(none.traces.length, 0);
    const window = await q(`start=${Number(T0 / MS) + 5000}&end=${Number(T0 / MS) + 7000}`);
    assert.equal(window.traces.length, 2);
  });

  it('paginates trace search with a cursor, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { traces: TraceSummary[]; nextCursor: string | null } = await f.api(
        `/api/traces?${qs}`,
      );
      seen.push(...page.traces.map((t) => t.traceId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 4);
    assert.deepEqual(seen, [...first.ids].reverse());
  });

  it('returns one trace with spans in start order', async () => {
    const t = await f.api<{ spans: { name: string; parentSpanId: string; spanId: string }[] }>(
      `/api/traces/${first.ids[3]}`,
    );
    assert.deepEqual(
      t.spans.map((s) => s.name),
      ['GET /checkout', 'POST /pay'],
    );
    assert.equal(t.spans[1]?.parentSpanId, t.spans[0]?.spanId);
  });

  it('derives the service map and RED from spans', async () => {
    const map = await f.api<{
      nodes: { service: string; spanCount: number; errorRate: number; p50Ms: number }[];
      edges: {
        source: string;
        target: string;
        callCount: number;
        errorCount: number;
        p50Ms: number;
      }[];
    }>('/api/service-map');
    assert.deepEqual(
      map.edges.map((e) => [e.source, e.target, e.callCount, e.errorCount, e.p50Ms]),
      [['frontend', 'checkout', 10, 1, 5]],
    );
    const checkout = map.nodes.find((n) => n.service === 'checkout');
    assert.equal(checkout?.errorRate, 0.1);
    const red = await f.api<{
      rows: {
        service: string;
        operation: string;
        spanCount: number;
        p50Ms: number;
        p99Ms: number;
        rate: number;
      }[];
    }>('/api/red');
    const root = red.rows.find((r) => r.operation === 'GET /checkout');
    assert.equal(root?.spanCount, 10);
    assert.equal(root?.p50Ms, 14.5);
    assert.ok(root && root.p99Ms > 18.8 && root.p99Ms <= 19);
    assert.ok(root && root.rate > 0);
    const perService = await f.api<{ rows: { service: string; spanCount: number }[] }>(
      '/api/red?groupBy=service',
    );
    assert.deepEqual(
      perService.rows.map((r) => [r.service, r.spanCount]),
      [
        ['checkout', 10],
        ['frontend', 10],
      ],
    );
  });

  it('streams live ingest events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${f.viewer.httpUrl}/api/live`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const sent = post(
      `${f.viewer.httpUrl}/v1/traces`,
      tracesProtobuf(traces(5, 500).specs.slice(0, 2)),
    );
    const deadline = Date.now() + 5000;
    while (!text.includes('event: ingest') && Date.now() < deadline) {
      const { value } = await reader.read();
      text += Buffer.from(value ?? new Uint8Array()).toString();
    }
    controller.abort();
    await sent;
    assert.match(text, /event: hello/);
    const data = /event: ingest\ndata: (.*)\n/.exec(text)?.[1];
    assert.ok(data, text);
    const ev = JSON.parse(data) as { spans: number; services: string[] };
    assert.equal(ev.spans, 2);
    assert.deepEqual(ev.services.sort(), ['checkout', 'frontend']);
  });

  it('keeps the data across a restart and compares two runs per operation', async () => {
    await f.close({ keepData: true });
    f = await startFixture({ dataDir, runName: 'after', grpcPort: false });
    const restored = await f.api<{ spans: unknown[] }>(`/api/traces/${first.ids[0]}`);
    assert.equal(restored.spans.length, 2);
    assert.equal(
      (await post(`${f.viewer.httpUrl}/v1/traces`, tracesProtobuf(traces(50).specs))).status,
      200,
    );
    const runs = await f.api<{
      currentRunId: number;
      runs: { id: number; name: string; spanCount: number; endedMs: number | null }[];
    }>('/api/runs');
    assert.deepEqual(
      runs.runs.map((r) => [r.id, r.name, r.spanCount]),
      [
        [2, 'after', 20],
        [1, 'before', 22],
      ],
    );
    assert.equal(runs.currentRunId, 2);
    assert.ok(runs.runs[1]?.endedMs, 'the first run ended when its viewer stopped');
    const cmp = await f.api<{
      boundsMs: number[];
      operations: {
        service: string;
        operation: string;
        a: { p50Ms: number; errorRate: number; histogram: number[] };
        b: { p50Ms: number; errorRate: number; histogram: number[] };
      }[];
    }>('/api/runs/compare?a=1&b=2');
    const pay = cmp.operations.find((o) => o.operation === 'POST /pay');
    assert.equal(pay?.a.p50Ms, 5);
    assert.equal(pay?.b.p50Ms, 50);
    assert.equal(pay?.b.errorRate, 0.1);
    assert.equal(pay?.a.histogram[cmp.boundsMs.indexOf(5)], 11);
    assert.equal(pay?.b.histogram[cmp.boundsMs.indexOf(50)], 10);
    const onlyRun1 = await f.api<{ traces: unknown[] }>('/api/traces?run=1&limit=500');
    assert.equal(onlyRun1.traces.length, 11);
  });

  it('serves the placeholder UI with strict headers and no CORS', async () => {
    const res = await fetch(`${f.viewer.httpUrl}/`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Sightline viewer/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const api = await fetch(`${f.viewer.httpUrl}/api/stats`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(api.headers.get('access-control-allow-origin'), null);
    assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
    const preflight = await fetch(`${f.viewer.httpUrl}/v1/traces`, { method: 'OPTIONS' });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 must not read the API
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${f.viewer.httpUrl}/api/stats`,
        { headers: { host: 'evil.example' } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403);
  });
});

describe('UI static files', () => {
  it('serves a UI directory, falls back to index.html for routes, and never leaves the directory', async () => {
    const ui = mkdtempSync(join(tmpdir(), 'sightline-ui-'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><script src="/app.js"></script>');
    writeFileSync(join(ui, 'app.js'), 'console.log(1)');
    const f = await startFixture({ uiDir: ui, grpcPort: false });
    try {
      const js = await fetch(`${f.viewer.httpUrl}/app.js`);
      assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(await js.text(), 'console.log(1)');
      const route = await fetch(`${f.viewer.httpUrl}/traces/abc`);
      assert.match(await route.text(), /app\.js/);
      assert.equal((await fetch(`${f.viewer.httpUrl}/missing.js`)).status, 404);
      const traversal = await fetch(`${f.viewer.httpUrl}/..%2f..%2fetc%2fpasswd`);
      assert.doesNotMatch(await traversal.text(), /root:/);
    } finally {
      await f.close();
    }
  });
});
