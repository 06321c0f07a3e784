import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SightlineOptions } from '../src/index.js';
import { init } from '../src/index.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const SCOPE = '@sightline/node/http';

function get(url: string, headers: Record<string, string> = {}): Promise<http.IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        response.resume().on('end', () => resolve(response.headers));
      })
      .on('error', reject);
  });
}

describe('the http and undici entries of the registry, configured through init()', () => {
  let receiver: OtlpReceiver;
  let server: http.Server;
  let base: string;
  before(async () => {
    receiver = await startOtlpReceiver();
    server = http.createServer((_request, response) => {
      response.setHeader('x-served-by', 'b');
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await receiver.stop();
  });

  /** Runs one init() … shutdown() with these instrumentation options, making three requests. */
  async function run(instrumentations: SightlineOptions['instrumentations']) {
    receiver.reset();
    let viaHttp: http.IncomingHttpHeaders = {};
    const sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      instrumentations,
      shutdown: { handleSignals: false },
    });
    try {
      viaHttp = await get(`${base}/via-http`, { 'x-tenant': 'acme' });
      await (await fetch(`${base}/via-fetch`)).text();
      await get(`${base}/v1/traces`);
      await sightline.flush();
      await sleep(50);
      await sightline.flush();
    } finally {
      await sightline.shutdown();
    }
    return Object.assign(
      receiver.spans.filter((s) => s.scope.name === SCOPE),
      { viaHttp },
    );
  }

  it('undici alone traces fetch, and neither node:http servers nor clients', async () => {
    const spans = await run({ enabled: ['undici'] });
    assert.equal(spans.viaHttp.traceresponse, undefined, 'traceresponse is opt-in');
    assert.deepEqual(
      spans.map((s) => [s.kind, s.attributes['url.full']]),
      [[CLIENT, `${base}/via-fetch`]],
    );
  });

  it('http alone traces node:http servers and clients, not fetch', async () => {
    const spans = await run({ enabled: ['http'] });
    assert.ok(
      spans.some((s) => s.kind === CLIENT && s.attributes['url.full'] === `${base}/via-http`),
    );
    assert.ok(
      !spans.some((s) => s.kind === CLIENT && s.attributes['url.full'] === `${base}/via-fetch`),
    );
    // The fetch still reaches the traced server, as a root SERVER span.
    assert.ok(spans.some((s) => s.kind === SERVER && s.attributes['url.path'] === '/via-fetch'));
  });

  it('passes the http settings through, and leaves the OTLP ingest paths untraced', async () => {
    const spans = await run({
      enabled: ['http', 'undici'],
      http: { requestHeaders: ['x-tenant'], responseHeaders: ['x-served-by'], traceResponse: true },
    });
    const served = spans.find((s) => s.kind === SERVER && s.attributes['url.path'] === '/via-http');
    assert.deepEqual(served?.attributes['http.request.header.x-tenant'], ['acme']);
    assert.deepEqual(served?.attributes['http.response.header.x-served-by'], ['b']);
    assert.match(String(spans.viaHttp.traceresponse), new RegExp(`^00-${served?.traceId}-`));
    assert.ok(
      spans.some((s) => s.kind === CLIENT && s.attributes['url.full'] === `${base}/via-fetch`),
    );
    assert.ok(!spans.some((s) => s.kind === SERVER && s.attributes['url.path'] === '/v1/traces'));
  });
});
