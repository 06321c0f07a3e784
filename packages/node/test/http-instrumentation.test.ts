import assert from 'node:assert/strict';
import { hasSubscribers } from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, DiagLogLevel, diag, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { init, type SightlineHandle, VERSION, withSpan } from '../src/index.js';
import { HTTP_CHANNELS } from '../src/instrumentation/http/channels.js';
import {
  enableHttpInstrumentation,
  type HttpInstrumentationHandle,
} from '../src/instrumentation/http/enable-http-instrumentation.js';
import {
  DEFAULT_IGNORED_PATHS,
  type HttpInstrumentationOptions,
} from '../src/instrumentation/http/http-instrumentation-options.js';
import { DURATION_BUCKETS } from '../src/instrumentation/http/http-telemetry.js';
import { setHttpRoute } from '../src/instrumentation/http/set-http-route.js';
import {
  type OtlpReceiver,
  type ReceivedMetric,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';

const SCOPE = '@sightline/node/http';
// Compiled to dist/test/; the fixtures stay in test/fixtures/.
const TLS_FIXTURE = new URL('../../test/fixtures/http-tls.mjs', import.meta.url);
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** What a request handler saw: the active span, the trace header, the connection. */
interface Observation {
  traceId: string | undefined;
  spanId: string | undefined;
  traceparent: string | undefined;
  remotePort: number | undefined;
  /** For POST /body: the active span in the 'end' listener of the request body. */
  bodyEndSpanId?: string | undefined;
}

interface Sent {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (server: http.Server): number => (server.address() as AddressInfo).port;

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function observe(request: http.IncomingMessage): Observation {
  const active = trace.getActiveSpan()?.spanContext();
  return {
    traceId: active?.traceId,
    spanId: active?.spanId,
    traceparent: request.headers.traceparent as string | undefined,
    remotePort: request.socket.remotePort,
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = await listen(() => {});
  const port = portOf(server);
  await close(server);
  return port;
}

describe('HTTP instrumentation with no SDK registered', () => {
  it('does nothing, throws nothing and warns nothing', async () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: (m) => warnings.push(m),
        warn: (m) => warnings.push(m),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
    const instrumentation = enableHttpInstrumentation();
    const seen: Array<Observation & { state: boolean }> = [];
    const server = await listen((request, response) => {
      seen.push({
        ...observe(request),
        state: Object.getOwnPropertySymbols(request).some((s) =>
          s.description?.includes('sightline'),
        ),
      });
      response.end('ok');
    });
    try {
      const base = `http://127.0.0.1:${portOf(server)}`;
      await new Promise<void>((resolve, reject) =>
        http
          .get(`${base}/plain?token=x`, (res) => res.resume().on('end', resolve))
          .on('error', reject),
      );
      assert.equal(await (await fetch(`${base}/fetched`)).text(), 'ok');
      const dead = `http://127.0.0.1:${await closedPort()}`;
      await assert.rejects(fetch(`${dead}/x`));
      await new Promise<void>((resolve) => http.get(`${dead}/x`).on('error', () => resolve()));
      assert.equal(seen.length, 2);
      for (const observation of seen) {
        assert.equal(observation.spanId, undefined);
        assert.equal(observation.traceparent, undefined, 'no context injected');
        assert.equal(observation.state, false, 'no per-request state');
      }
      assert.deepEqual(warnings, []);
    } finally {
      instrumentation.disable();
      await close(server);
      diag.disable();
    }
  });
});

describe('HTTP instrumentation through diagnostics_channel, end to end', () => {
  let receiver: OtlpReceiver;
  let receiverPort: number;
  let sightline: SightlineHandle;
  let instrumentation: HttpInstrumentationHandle;
  let server: http.Server;
  let port: number;
  let base: string;
  const observations = new Map<string, Observation>();
  let slowStarted: (() => void) | undefined;
  let heldStarted: (() => void) | undefined;
  let releaseHeld: (() => void) | undefined;
  let connectionsClosedInContext: Array<string | undefined> = [];

  // The receiver runs in this process: its server side is excluded by path here; its client side
  // (the exporter) must be excluded by suppressTracing, which the last test checks.
  const OPTIONS: HttpInstrumentationOptions = {
    ignorePaths: [...DEFAULT_IGNORED_PATHS, /^\/v1\/(traces|metrics|logs)$/],
    requestHeaders: ['X-Tenant'],
    responseHeaders: ['x-served-by'],
  };

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    observations.set(path, observe(request));
    if (path.startsWith('/users/')) {
      setHttpRoute('/users/:id');
      response.setHeader('x-served-by', 'a');
      response.setHeader('content-length', 2);
      return response.end('ok');
    }
    if (path.startsWith('/status/')) {
      response.statusCode = Number(path.slice('/status/'.length));
      return response.end();
    }
    if (path === '/slow') {
      slowStarted?.();
      return; // never answers: the client gives up
    }
    if (path === '/held') {
      const release = new Promise<void>((resolve) => {
        releaseHeld = resolve;
      });
      heldStarted?.();
      await release;
      return response.end('late');
    }
    if (path.startsWith('/nested/')) {
      await withSpan('load user', async () => {
        await sleep(5);
        // From inside a child span: still names the request's route.
        setHttpRoute('/nested/:id');
        withSpan('query', () => {});
      });
      await sleep(1);
      withSpan('render', () => {});
      return response.end('nested');
    }
    if (path === '/body') {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        const observation = observations.get(path);
        if (observation) observation.bodyEndSpanId = trace.getActiveSpan()?.spanContext().spanId;
        withSpan('after body', () => response.end(body.toUpperCase()));
      });
      return;
    }
    if (path.startsWith('/ka/')) {
      withSpan(`ka child ${path}`, () => {});
      return response.end(path);
    }
    if (path === '/downstream') {
      const text = await (await fetch(`${base}/users/downstream`)).text();
      return response.end(`via ${text}`);
    }
    response.end('ok');
  }

  before(async () => {
    receiver = await startOtlpReceiver();
    receiverPort = Number(new URL(receiver.httpUrl).port);
    sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exportIntervalMillis: 60_000 },
      logs: { exporters: ['none'] },
      // These tests enable the HTTP instrumentation themselves, with their own options.
      instrumentations: { enabled: [] },
      shutdown: { handleSignals: false },
    });
    instrumentation = enableHttpInstrumentation(OPTIONS);
    server = await listen((request, response) => {
      handle(request, response).catch((error: unknown) => {
        response.statusCode = 599;
        response.end(String(error));
      });
    });
    server.on('connection', (socket) => {
      socket.on('close', () =>
        connectionsClosedInContext.push(trace.getActiveSpan()?.spanContext().spanId),
      );
    });
    port = portOf(server);
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    instrumentation.disable();
    await close(server);
    await sightline.shutdown();
    await receiver.stop();
  });

  function send(
    path: string,
    options: http.RequestOptions & { chunks?: string[] } = {},
  ): Promise<Sent> {
    const { chunks, ...requestOptions } = options;
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, path, ...requestOptions },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body,
              reusedSocket: request.reusedSocket,
            }),
          );
        },
      );
      request.on('error', reject);
      if (chunks === undefined) {
        request.end();
        return;
      }
      // Body chunks a few milliseconds apart, so they reach the server in separate reads.
      (async () => {
        for (const chunk of chunks) {
          request.write(chunk);
          await sleep(15);
        }
        request.end();
      })().catch(reject);
    });
  }

  const ours = (): ReceivedSpan[] => receiver.spans.filter((s) => s.scope.name === SCOPE);

  async function spansWhere(
    what: string,
    predicate: (spans: ReceivedSpan[]) => boolean,
  ): Promise<ReceivedSpan[]> {
    await sightline.flush();
    return receiver.waitFor(() => predicate(receiver.spans) && receiver.spans, { what });
  }

  function find(spans: ReceivedSpan[], what: string, predicate: (s: ReceivedSpan) => boolean) {
    const found = spans.find(predicate);
    assert.ok(found, `${what} among ${spans.map((s) => `${s.name} ${s.kind}`).join(', ')}`);
    return found;
  }

  const serverSpan = (path: string) => (s: ReceivedSpan) =>
    s.kind === SERVER && s.attributes['url.path'] === path;
  const clientSpan = (path: string) => (s: ReceivedSpan) =>
    s.kind === CLIENT && String(s.attributes['url.full']).startsWith(`${base}${path}`);

  it('records a SERVER span with the semantic-convention attributes and the route', async () => {
    const sent = await send('/users/42?q=shoes&token=secret&sig=abc', {
      headers: { 'user-agent': 'probe/1.0', 'x-tenant': 'acme', authorization: 'Bearer x' },
    });
    assert.equal(sent.body, 'ok');
    assert.equal(sent.headers.traceresponse, undefined, 'traceresponse is opt-in');
    const spans = await spansWhere('the /users/42 server span', (all) =>
      all.some(serverSpan('/users/42')),
    );
    const span = find(spans, 'server span', serverSpan('/users/42'));
    assert.equal(span.name, 'GET /users/:id');
    assert.deepEqual(span.scope, { name: SCOPE, version: VERSION });
    assert.deepEqual(span.attributes, {
      'http.request.method': 'GET',
      'url.path': '/users/42',
      'url.query': 'q=shoes&token=REDACTED&sig=REDACTED',
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
      'server.address': '127.0.0.1',
      'server.port': port,
      'client.address': '127.0.0.1',
      'user_agent.original': 'probe/1.0',
      'http.request.header.x-tenant': ['acme'],
      'http.route': '/users/:id',
      'http.response.status_code': 200,
      'http.response.body.size': 2,
      'http.response.header.x-served-by': ['a'],
    });
    assert.deepEqual(span.status, { code: 0, message: '' });
    assert.ok(span.endTimeUnixNano >= span.startTimeUnixNano);
  });

  it('joins a node:http client span and the server span in one trace across a real hop', async () => {
    const caller = await withSpan('caller', async (span) => {
      await send('/users/7', { headers: { 'x-tenant': 'acme' } });
      return span.spanContext();
    });
    const spans = await spansWhere('caller, client and server spans', (all) =>
      all.some(serverSpan('/users/7')),
    );
    const client = find(spans, 'client span', clientSpan('/users/7'));
    const server = find(spans, 'server span', serverSpan('/users/7'));
    assert.equal(client.traceId, caller.traceId);
    assert.equal(client.parentSpanId, caller.spanId);
    assert.equal(server.traceId, caller.traceId);
    assert.equal(server.parentSpanId, client.spanId);
    assert.equal(
      observations.get('/users/7')?.traceparent,
      `00-${caller.traceId}-${client.spanId}-01`,
      'the W3C traceparent arrives at the server',
    );
    assert.equal(client.name, 'GET');
    assert.deepEqual(client.attributes, {
      'http.request.method': 'GET',
      'url.full': `${base}/users/7`,
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.request.header.x-tenant': ['acme'],
      'http.response.status_code': 200,
      'http.response.body.size': 2,
      'http.response.header.x-served-by': ['a'],
      'network.protocol.version': '1.1',
    });
    assert.equal(client.status.code, 0);
  });

  it('joins a fetch client span and the server span in one trace', async () => {
    const caller = await withSpan('fetch caller', async (span) => {
      const response = await fetch(`${base}/users/8?api_key=k`, { headers: { 'X-Tenant': 'a' } });
      assert.equal(await response.text(), 'ok');
      return span.spanContext();
    });
    const spans = await spansWhere('fetch client and server spans', (all) =>
      all.some(serverSpan('/users/8')),
    );
    const client = find(spans, 'fetch span', clientSpan('/users/8'));
    const server = find(spans, 'server span', serverSpan('/users/8'));
    assert.equal(client.parentSpanId, caller.spanId);
    assert.equal(server.parentSpanId, client.spanId);
    assert.equal(server.traceId, caller.traceId);
    assert.equal(
      observations.get('/users/8')?.traceparent,
      `00-${caller.traceId}-${client.spanId}-01`,
    );
    assert.equal(client.name, 'GET');
    assert.equal(client.kind, CLIENT);
    assert.deepEqual(client.attributes, {
      'http.request.method': 'GET',
      'url.full': `${base}/users/8?api_key=REDACTED`,
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.request.header.x-tenant': ['a'],
      'http.response.status_code': 200,
      'http.response.body.size': 2,
      'http.response.header.x-served-by': ['a'],
    });
  });

  it('chains server → fetch → server in one trace', async () => {
    assert.equal((await send('/downstream')).body, 'via ok');
    const spans = await spansWhere('the downstream chain', (all) =>
      all.some(serverSpan('/users/downstream')),
    );
    const outer = find(spans, 'outer server span', serverSpan('/downstream'));
    const hop = find(spans, 'fetch span', clientSpan('/users/downstream'));
    const inner = find(spans, 'inner server span', serverSpan('/users/downstream'));
    assert.equal(hop.parentSpanId, outer.spanId);
    assert.equal(inner.parentSpanId, hop.spanId);
    assert.equal(inner.traceId, outer.traceId);
  });

  it('traces node:https servers and clients', async () => {
    const { key, cert } = (await import(TLS_FIXTURE.href)) as { key: string; cert: string };
    const secure = https.createServer({ key, cert }, (request, response) => {
      observations.set('/tls', observe(request));
      response.end('secure');
    });
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const securePort = portOf(secure);
    try {
      const body = await new Promise<string>((resolve, reject) =>
        https
          .get({ host: '127.0.0.1', port: securePort, path: '/tls?x=1', ca: cert }, (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => {
              text += chunk;
            });
            response.on('end', () => resolve(text));
          })
          .on('error', reject),
      );
      assert.equal(body, 'secure');
    } finally {
      await close(secure);
    }
    const spans = await spansWhere('the https spans', (all) => all.some(serverSpan('/tls')));
    const server = find(spans, 'server span', serverSpan('/tls'));
    const client = find(
      spans,
      'client span',
      (s) => s.attributes['url.full'] === `https://127.0.0.1:${securePort}/tls?x=1`,
    );
    assert.equal(server.attributes['url.scheme'], 'https');
    assert.equal(server.attributes['server.port'], securePort);
    assert.equal(server.attributes['url.query'], 'x=1');
    assert.equal(client.attributes['server.port'], securePort);
    assert.equal(server.parentSpanId, client.spanId);
    assert.equal(observations.get('/tls')?.spanId, server.spanId);
  });

  it('marks a 500 as an error on both sides, and a 404 only on the client side', async () => {
    assert.equal((await send('/status/500')).status, 500);
    assert.equal((await send('/status/404')).status, 404);
    const spans = await spansWhere(
      'the 500 and 404 spans',
      (all) => all.some(serverSpan('/status/404')) && all.some(serverSpan('/status/500')),
    );
    const server500 = find(spans, '500 server span', serverSpan('/status/500'));
    assert.equal(server500.status.code, ERROR);
    assert.equal(server500.attributes['error.type'], '500');
    assert.equal(server500.attributes['http.response.status_code'], 500);
    const server404 = find(spans, '404 server span', serverSpan('/status/404'));
    assert.equal(server404.status.code, 0);
    assert.equal(server404.attributes['error.type'], undefined);
    const client404 = find(spans, '404 client span', clientSpan('/status/404'));
    assert.equal(client404.status.code, ERROR);
    assert.equal(client404.attributes['error.type'], '404');
  });

  it('ends client spans with error.type on a refused connection (node:http and fetch)', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await assert.rejects(
      new Promise((resolve, reject) =>
        http.get(`${dead}/refused-http`, resolve).on('error', reject),
      ),
      { code: 'ECONNREFUSED' },
    );
    await assert.rejects(fetch(`${dead}/refused-fetch`), TypeError);
    const spans = await spansWhere('two refused client spans', (all) =>
      ['/refused-http', '/refused-fetch'].every((p) =>
        all.some((s) => s.attributes['url.full'] === `${dead}${p}`),
      ),
    );
    for (const path of ['/refused-http', '/refused-fetch']) {
      const span = find(spans, path, (s) => s.attributes['url.full'] === `${dead}${path}`);
      assert.equal(span.kind, CLIENT);
      assert.equal(span.attributes['error.type'], 'ECONNREFUSED');
      assert.equal(span.attributes['http.response.status_code'], undefined);
      assert.equal(span.status.code, ERROR);
      assert.match(span.status.message, /ECONNREFUSED/);
    }
  });

  it('ends the server span of an aborted request with error.type', async () => {
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    const aborted = new Promise<void>((resolve, reject) => {
      const request = http.get(`${base}/slow`, () => reject(new Error('answered')));
      request.on('error', () => resolve());
      started.then(() => request.destroy(), reject);
    });
    await aborted;
    const spans = await spansWhere('the aborted server span', (all) =>
      all.some(serverSpan('/slow')),
    );
    const server = find(spans, 'server span', serverSpan('/slow'));
    assert.equal(server.attributes['error.type'], 'aborted');
    assert.equal(server.attributes['http.response.status_code'], undefined);
    assert.equal(server.status.code, ERROR);
    const client = find(spans, 'client span', clientSpan('/slow'));
    assert.equal(client.attributes['error.type'], 'ECONNRESET');
  });

  it('traces no request to an ignored health path', async () => {
    for (const path of ['/health', '/healthz', '/readyz', '/metrics'])
      assert.equal((await send(path)).status, 200);
    await send('/users/after-health');
    const spans = await spansWhere('the span after the health checks', (all) =>
      all.some(serverSpan('/users/after-health')),
    );
    assert.equal(
      spans.filter(
        (s) =>
          s.kind === SERVER && /^\/(health|ready|metrics)/.test(String(s.attributes['url.path'])),
      ).length,
      0,
    );
    assert.equal(observations.get('/health')?.spanId, undefined);
  });

  it('keeps keep-alive requests on one socket in separate traces, without leaking context', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ticks: Array<string | undefined> = [];
    // Unrelated work that runs while the requests are served must never see their spans.
    const interval = context.with(ROOT_CONTEXT, () =>
      setInterval(() => ticks.push(trace.getActiveSpan()?.spanContext().spanId), 1),
    );
    connectionsClosedInContext = [];
    try {
      const first = await send('/ka/first', { agent });
      const health = await send('/health', { agent }); // untraced, between two traced ones
      const body = await send('/body', { agent, method: 'POST', chunks: ['a', 'b', 'c'] });
      const second = await send('/ka/second', { agent });
      assert.equal(body.body, 'ABC');
      assert.deepEqual(
        [first, health, body, second].map((r) => r.reusedSocket),
        [false, true, true, true],
      );
      const ports = ['/ka/first', '/health', '/body', '/ka/second'].map(
        (p) => observations.get(p)?.remotePort,
      );
      assert.equal(new Set(ports).size, 1, 'one connection');
    } finally {
      agent.destroy();
      clearInterval(interval);
    }
    const spans = await spansWhere('the keep-alive spans', (all) =>
      ['ka child /ka/first', 'ka child /ka/second', 'after body'].every((n) =>
        all.some((s) => s.name === n),
      ),
    );
    const first = find(spans, 'first', serverSpan('/ka/first'));
    const post = find(spans, 'body', serverSpan('/body'));
    const second = find(spans, 'second', serverSpan('/ka/second'));
    assert.equal(new Set([first.traceId, post.traceId, second.traceId]).size, 3);
    assert.equal(observations.get('/ka/first')?.spanId, first.spanId);
    assert.equal(observations.get('/health')?.spanId, undefined, 'no leak into the next request');
    assert.equal(observations.get('/body')?.spanId, post.spanId);
    assert.equal(observations.get('/ka/second')?.spanId, second.spanId);
    assert.equal(
      find(spans, 'child 1', (s) => s.name === 'ka child /ka/first').parentSpanId,
      first.spanId,
    );
    assert.equal(
      find(spans, 'child 2', (s) => s.name === 'ka child /ka/second').parentSpanId,
      second.spanId,
    );
    // The body arrives in later reads, yet its events run in the request's context.
    assert.equal(observations.get('/body')?.bodyEndSpanId, post.spanId);
    assert.equal(
      find(spans, 'after body', (s) => s.name === 'after body').parentSpanId,
      post.spanId,
    );
    assert.equal(post.attributes['http.request.method'], 'POST');
    assert.ok(ticks.length > 0);
    assert.deepEqual([...new Set(ticks)], [undefined]);
    await receiver.waitFor(() => connectionsClosedInContext.length > 0, { what: 'socket close' });
    assert.deepEqual([...new Set(connectionsClosedInContext)], [undefined]);
  });

  it('ends each of pipelined requests once, and the one left unanswered when the socket closes', async () => {
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    const abortedSlow = (s: ReceivedSpan) =>
      serverSpan('/slow')(s) && s.attributes['error.type'] === 'aborted';
    const abortedBefore = receiver.spans.filter(abortedSlow).length;
    const socket = net.connect(port, '127.0.0.1');
    try {
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
      const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
      // One write, three requests: the server reads them together and answers them in order.
      socket.write(get('/users/pipe1') + get('/users/pipe2') + get('/slow'));
      await started;
      await receiver.waitFor(() => (received.match(/HTTP\/1\.1 200/g) ?? []).length === 2, {
        what: 'the two pipelined answers',
      });
    } finally {
      // Closing the socket is what ends the unanswered request.
      socket.destroy();
    }
    const spans = await spansWhere(
      'the pipelined server spans',
      (all) => all.filter(abortedSlow).length > abortedBefore,
    );
    for (const path of ['/users/pipe1', '/users/pipe2']) {
      const mine = spans.filter(serverSpan(path));
      assert.equal(mine.length, 1, `one span for ${path}`);
      assert.equal(mine[0]?.attributes['http.response.status_code'], 200);
      assert.equal(mine[0]?.attributes['error.type'], undefined);
    }
    assert.equal(spans.filter(abortedSlow).length, abortedBefore + 1);
  });

  it("nests the handler's withSpan children under the server span across awaits", async () => {
    assert.equal((await send('/nested/5')).body, 'nested');
    const spans = await spansWhere('the nested spans', (all) =>
      ['query', 'render'].every((n) => all.some((s) => s.name === n)),
    );
    const server = find(spans, 'server span', serverSpan('/nested/5'));
    const load = find(spans, 'load user', (s) => s.name === 'load user');
    const query = find(spans, 'query', (s) => s.name === 'query');
    const render = find(spans, 'render', (s) => s.name === 'render');
    assert.equal(server.name, 'GET /nested/:id');
    assert.equal(server.attributes['http.route'], '/nested/:id');
    assert.equal(load.parentSpanId, server.spanId);
    assert.equal(query.parentSpanId, load.spanId);
    assert.equal(render.parentSpanId, server.spanId);
    assert.equal(new Set([server, load, query, render].map((s) => s.traceId)).size, 1);
  });

  it('keeps 20 concurrent requests apart, each with its own span tree', async () => {
    const paths = Array.from({ length: 20 }, (_, i) => `/nested/c${i}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 5 });
    try {
      await Promise.all(paths.map((path) => send(path, { agent })));
    } finally {
      agent.destroy();
    }
    const spans = await spansWhere('20 nested trees', (all) =>
      paths.every((path) => all.some(serverSpan(path))),
    );
    for (const path of paths) {
      const server = find(spans, path, serverSpan(path));
      assert.equal(observations.get(path)?.spanId, server.spanId);
      const tree = spans.filter((s) => s.traceId === server.traceId);
      const load = find(tree, 'load user', (s) => s.name === 'load user');
      assert.deepEqual(tree.map((s) => s.name).sort(), [
        'GET',
        'GET /nested/:id',
        'load user',
        'query',
        'render',
      ]);
      assert.equal(load.parentSpanId, server.spanId);
      assert.equal(find(tree, 'render', (s) => s.name === 'render').parentSpanId, server.spanId);
      assert.equal(find(tree, 'query', (s) => s.name === 'query').parentSpanId, load.spanId);
    }
  });

  it('records unknown methods as _OTHER with the original method', async () => {
    await send('/users/dav', { method: 'PROPFIND' });
    const spans = await spansWhere('the PROPFIND spans', (all) =>
      all.some(serverSpan('/users/dav')),
    );
    for (const span of [
      find(spans, 'server', serverSpan('/users/dav')),
      find(spans, 'client', clientSpan('/users/dav')),
    ]) {
      assert.equal(span.attributes['http.request.method'], '_OTHER');
      assert.equal(span.attributes['http.request.method_original'], 'PROPFIND');
    }
    assert.equal(find(spans, 'server', serverSpan('/users/dav')).name, 'HTTP /users/:id');
    assert.equal(find(spans, 'client', clientSpan('/users/dav')).name, 'HTTP');
  });

  it('does not trace or inject into requests made under suppressTracing', async () => {
    await context.with(suppressTracing(context.active()), () => send('/users/suppressed'));
    await fetch(`${base}/users/marker`);
    const spans = await spansWhere('the marker span', (all) =>
      all.some(serverSpan('/users/marker')),
    );
    assert.equal(spans.filter(clientSpan('/users/suppressed')).length, 0);
    const server = find(spans, 'server span', serverSpan('/users/suppressed'));
    assert.equal(server.parentSpanId, '', 'a root: nothing was injected');
    assert.equal(observations.get('/users/suppressed')?.traceparent, undefined);
  });

  it('sets a traceresponse header when asked, and stops tracing once disabled', async () => {
    instrumentation.disable();
    instrumentation = enableHttpInstrumentation({ ...OPTIONS, traceResponse: true });
    const sent = await send('/users/traceresponse');
    instrumentation.disable();
    await send('/users/untraced');
    instrumentation = enableHttpInstrumentation(OPTIONS);
    // A second instrumentation would record everything twice: it is refused, and its handle is inert.
    enableHttpInstrumentation(OPTIONS).disable();
    await send('/users/marker2');
    const spans = await spansWhere('the traceresponse span', (all) =>
      all.some(serverSpan('/users/marker2')),
    );
    const server = find(spans, 'server span', serverSpan('/users/traceresponse'));
    assert.equal(sent.headers.traceresponse, `00-${server.traceId}-${server.spanId}-01`);
    assert.equal(spans.filter(serverSpan('/users/untraced')).length, 0);
    assert.equal(spans.filter(clientSpan('/users/untraced')).length, 0);
    assert.equal(spans.filter(serverSpan('/users/marker2')).length, 1, 'recorded once');
  });

  it('ends a request in flight at its finish once disabled, then leaves the finish channel', async () => {
    const started = new Promise<void>((resolve) => {
      heldStarted = resolve;
    });
    const answered = send('/held');
    await started;
    instrumentation.disable();
    assert.equal(hasSubscribers(HTTP_CHANNELS.serverRequestStart), false);
    assert.equal(hasSubscribers(HTTP_CHANNELS.serverResponseFinish), true, 'one request in flight');
    releaseHeld?.();
    assert.equal((await answered).body, 'late');
    for (let i = 0; i < 100 && hasSubscribers(HTTP_CHANNELS.serverResponseFinish); i++) {
      await sleep(10);
    }
    assert.equal(hasSubscribers(HTTP_CHANNELS.serverResponseFinish), false, 'left after it ended');
    instrumentation = enableHttpInstrumentation(OPTIONS);
    const spans = await spansWhere('the held server span', (all) => all.some(serverSpan('/held')));
    const server = find(spans, 'server span', serverSpan('/held'));
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.attributes['error.type'], undefined, 'finished, not aborted');
  });

  it('records the semantic-convention HTTP metrics', async () => {
    await sightline.flush();
    const latest = (name: string): ReceivedMetric | undefined =>
      receiver.metrics.findLast((m) => m.name === name);
    const serverDuration = await receiver.waitFor(() => latest('http.server.request.duration'), {
      what: 'http.server.request.duration',
    });
    assert.equal(serverDuration.type, 'histogram');
    assert.equal(serverDuration.unit, 's');
    assert.deepEqual(serverDuration.scope, { name: SCOPE, version: VERSION });
    const users = serverDuration.points.find(
      (p) =>
        p.attributes['http.route'] === '/users/:id' &&
        p.attributes['http.request.method'] === 'GET',
    );
    assert.ok(users);
    assert.deepEqual(users.attributes, {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
      'http.response.status_code': 200,
      'http.route': '/users/:id',
    });
    assert.deepEqual(users.explicitBounds, DURATION_BUCKETS);
    assert.ok((users.count ?? 0) >= 5);
    assert.ok((users.sum ?? 0) > 0 && (users.sum ?? 0) < 10);
    const failed = serverDuration.points.find((p) => p.attributes['error.type'] === '500');
    assert.equal(failed?.attributes['http.response.status_code'], 500);
    const aborted = serverDuration.points.find((p) => p.attributes['error.type'] === 'aborted');
    assert.ok(aborted);
    assert.equal(
      serverDuration.points.filter((p) =>
        String(p.attributes['http.route'] ?? '').includes('health'),
      ).length,
      0,
    );

    const clientDuration = latest('http.client.request.duration');
    assert.equal(clientDuration?.unit, 's');
    const toApp = clientDuration?.points.find(
      (p) =>
        p.attributes['server.port'] === port && p.attributes['http.response.status_code'] === 200,
    );
    assert.equal(toApp?.attributes['server.address'], '127.0.0.1');
    assert.equal(toApp?.attributes['http.request.method'], 'GET');
    assert.deepEqual(toApp?.explicitBounds, DURATION_BUCKETS);
    assert.ok(clientDuration?.points.some((p) => p.attributes['error.type'] === 'ECONNREFUSED'));

    const active = latest('http.server.active_requests');
    assert.equal(active?.type, 'sum');
    assert.equal(active?.isMonotonic, false);
    assert.equal(active?.unit, '{request}');
    const get = active?.points.find(
      (p) => p.attributes['http.request.method'] === 'GET' && p.attributes['url.scheme'] === 'http',
    );
    assert.equal(get?.value, 0, 'every request has ended');
  });

  it("never traces the exporter's own requests to the receiver", async () => {
    await sightline.flush();
    assert.ok(receiver.requests.some((r) => r.signal === 'traces'));
    assert.ok(receiver.requests.some((r) => r.signal === 'metrics'));
    const toReceiver = ours().filter(
      (s) =>
        s.attributes['server.port'] === receiverPort ||
        String(s.attributes['url.full'] ?? '').startsWith(receiver.httpUrl),
    );
    assert.deepEqual(
      toReceiver.map((s) => s.name),
      [],
    );
    const clientDuration = receiver.metrics.findLast(
      (m) => m.name === 'http.client.request.duration',
    );
    assert.equal(
      clientDuration?.points.filter((p) => p.attributes['server.port'] === receiverPort).length,
      0,
    );
  });
});
