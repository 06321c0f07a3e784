import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, it } from 'node:test';
import { firstHeaderEntry } from './authority.js';
import {
  emptyServerHeaders,
  rawHeader,
  rawHeadersGetter,
  readServerHeaders,
} from './raw-request-headers.js';

/** Sends `head` as is over a socket and resolves with the request the server parsed. */
async function parsed(head: string): Promise<IncomingMessage> {
  let resolve!: (request: IncomingMessage) => void;
  let reject!: (error: Error) => void;
  const request = new Promise<IncomingMessage>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  const server = createServer((req, res) => {
    resolve(req);
    res.end();
  });
  server.on('clientError', (error) => reject(error));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(head);
  try {
    return await request;
  } finally {
    socket.destroy();
    server.close();
  }
}

const HEAD = [
  'GET /x HTTP/1.1',
  'Host: first.example:8080',
  'host: second.example',
  'User-Agent: agent/1',
  'TraceParent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  'tracestate: a=1',
  'TRACESTATE: b=2',
  'X-Forwarded-For: 10.0.0.1',
  'x-forwarded-for: 10.0.0.2',
  'Cookie: a=1',
  'cookie: b=2',
  'Content-Length: 0',
  'Referer: /a',
  'referer: /b',
  '',
  '',
].join('\r\n');

describe('request headers read from rawHeaders', () => {
  it('gives what request.headers gives: first-only headers, joined lists, any case', async () => {
    const request = await parsed(HEAD);
    const names = [
      'host',
      'user-agent',
      'traceparent',
      'tracestate',
      'x-forwarded-for',
      'cookie',
      'content-length',
      'baggage',
      'referer',
      'transfer-encoding',
    ];
    for (const name of names) {
      assert.equal(rawHeader(request.rawHeaders, name), request.headers[name], name);
    }
  });

  it("reads the server instrumentation's headers in one pass as rawHeader would give them", async () => {
    const forwarded = [
      'POST /y HTTP/1.1',
      'x-forwarded-proto: HTTPS, http',
      'X-Forwarded-Proto: http',
      'X-FORWARDED-HOST: ,',
      'X-Forwarded-Host: proxy.example',
      'X-Forwarded-For: , 10.0.0.9',
      'x-forwarded-for: 10.0.0.2',
      'Transfer-Encoding: chunked',
      'HOST: only.example',
      '',
      '0',
      '',
      '',
    ].join('\r\n');
    const scratch = emptyServerHeaders();
    for (const head of [HEAD, forwarded, 'GET / HTTP/1.0\r\n\r\n']) {
      const raw = (await parsed(head)).rawHeaders;
      const read = readServerHeaders(raw, scratch);
      const first = (name: string) => firstHeaderEntry(rawHeader(raw, name));
      assert.deepEqual(
        {
          host: read.host,
          userAgent: read.userAgent,
          contentLength: read.contentLength,
          transferEncoding: read.transferEncoding,
          forwardedFor: firstHeaderEntry(read.forwardedFor),
          forwardedHost: firstHeaderEntry(read.forwardedHost),
          forwardedProto: firstHeaderEntry(read.forwardedProto),
        },
        {
          host: rawHeader(raw, 'host'),
          userAgent: rawHeader(raw, 'user-agent'),
          contentLength: rawHeader(raw, 'content-length'),
          transferEncoding: rawHeader(raw, 'transfer-encoding'),
          forwardedFor: first('x-forwarded-for'),
          forwardedHost: first('x-forwarded-host'),
          forwardedProto: first('x-forwarded-proto'),
        },
        head.split('\r\n')[0],
      );
    }
    // What a request without the headers leaves: nothing from the one before.
    assert.equal(scratch.host, undefined);
    assert.equal(scratch.transferEncoding, undefined);
  });

  it('serves the propagators: get by any case, keys in lower case without repeats', async () => {
    const request = await parsed(HEAD);
    assert.equal(
      rawHeadersGetter.get(request.rawHeaders, 'TRACEPARENT'),
      request.headers.traceparent,
    );
    const keys = rawHeadersGetter.keys(request.rawHeaders);
    assert.deepEqual(keys, [...new Set(Object.keys(request.headers))]);
  });
});
