import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import {
  CompressionAlgorithm,
  type ExportResponse,
  type IExporterTransport,
  OTLPExporterError,
} from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import { createOtlpBytesExporter } from '../src/export/otlp-bytes-exporter.js';
import {
  IDLE_CONNECTION_MILLIS,
  MAX_RESPONSE_BYTES,
  OtlpHttpTransport,
  RetryingTransport,
  retryAfterMillis,
} from '../src/export/otlp-http-transport.js';

const TLS_FIXTURE = new URL('../../test/fixtures/http-tls.mjs', import.meta.url);

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
  connection: number;
}

type Answer = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A real HTTP(S) server that records each request, and answers as `answer` says (200 by default). */
async function startServer(answer: Answer = ok, tls?: { key: string; cert: string }) {
  const received: Received[] = [];
  let connections = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const connection = (req.socket as unknown as { id: number }).id;
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method, url: req.url, headers: req.headers, body, connection });
      answer(req, res, body);
    });
  };
  const server: Server = tls ? createTlsServer(tls, handler) : createServer(handler);
  server.on(tls ? 'secureConnection' : 'connection', (socket) => {
    (socket as unknown as { id: number }).id = connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v1/traces`,
    received,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function ok(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
}

function parameters(
  url: string,
  extra: { headers?: Record<string, string>; compression?: CompressionAlgorithm } = {},
) {
  return convertLegacyHttpOptions(
    { url, headers: extra.headers ?? {}, compression: extra.compression, timeoutMillis: 10_000 },
    'TRACES',
    'v1/traces',
    { 'Content-Type': 'application/x-protobuf' },
  );
}

const body = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 31) & 0xff);

describe('OTLP HTTP transport', () => {
  it('posts the body whole with a Content-Length, the configured headers, over one kept-alive connection', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from([1, 2, 3]));
    });
    const transport = new OtlpHttpTransport(
      parameters(`${server.url}?tenant=a`, { headers: { 'x-api-key': 'k1' } }),
    );
    try {
      for (let i = 0; i < 3; i++) {
        const response = await transport.send(body, 5_000);
        assert.equal(response.status, 'success');
        assert.deepEqual(
          [...((response as { data?: Uint8Array }).data ?? [])],
          [1, 2, 3],
          'the response body is handed back (for partial success)',
        );
      }
      assert.equal(server.received.length, 3);
      for (const request of server.received) {
        assert.equal(request.method, 'POST');
        assert.equal(request.url, '/v1/traces?tenant=a');
        assert.equal(request.headers['content-type'], 'application/x-protobuf');
        assert.equal(request.headers['content-length'], String(body.length));
        assert.equal(request.headers['transfer-encoding'], undefined);
        assert.equal(request.headers['x-api-key'], 'k1');
        assert.match(
          String(request.headers['user-agent']),
          /^Sightline-OTLP-Exporter-JavaScript\//,
        );
        assert.ok(Buffer.from(body).equals(request.body));
      }
      assert.equal(server.connections(), 1, 'one keep-alive connection for every request');
    } finally {
      transport.shutdown();
      await server.stop();
    }
  });

  it('reaches an IPv6 literal host and sends the URL credentials as basic auth', async () => {
    const received: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      received.push(req.headers.authorization);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!listening) {
      console.warn('NOTICE: no IPv6 loopback on this machine; the IPv6 case is not exercised');
      return;
    }
    try {
      const { port } = server.address() as AddressInfo;
      const transport = new OtlpHttpTransport(
        parameters(`http://user:p%40ss@[::1]:${port}/v1/traces`),
      );
      assert.equal((await transport.send(body, 5_000)).status, 'success');
      assert.deepEqual(received, [`Basic ${Buffer.from('user:p@ss').toString('base64')}`]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gzips the body when compression is gzip', async () => {
    const server = await startServer();
    const transport = new OtlpHttpTransport(
      parameters(server.url, { compression: CompressionAlgorithm.GZIP }),
    );
    try {
      assert.equal((await transport.send(body, 5_000)).status, 'success');
      const [request] = server.received;
      assert.equal(request?.headers['content-encoding'], 'gzip');
      assert.equal(request?.headers['content-length'], String(request?.body.length));
      assert.ok(request !== undefined && request.body.length < body.length);
      assert.ok(Buffer.from(body).equals(gunzipSync(request?.body ?? Buffer.alloc(0))));
    } finally {
      await server.stop();
    }
  });

  it('answers retryable for 429, 502, 503 and 504 (with Retry-After), failure for other statuses', async () => {
    const answers: Array<[number, Record<string, string>, string]> = [
      [503, { 'retry-after': '2' }, ''],
      [429, {}, ''],
      [502, {}, ''],
      [504, {}, ''],
      [400, {}, 'bad span'],
      [500, {}, 'oops'],
    ];
    let next = 0;
    const server = await startServer((_req, res) => {
      const [status, headers, text] = answers[next++] as [number, Record<string, string>, string];
      res.writeHead(status, headers).end(text);
    });
    const transport = new OtlpHttpTransport(parameters(server.url));
    try {
      const results: ExportResponse[] = [];
      for (let i = 0; i < answers.length; i++) results.push(await transport.send(body, 5_000));
      assert.deepEqual(
        results.map((r) => r.status),
        ['retryable', 'retryable', 'retryable', 'retryable', 'failure', 'failure'],
      );
      assert.equal((results[0] as { retryInMillis?: number }).retryInMillis, 2000);
      assert.equal((results[1] as { retryInMillis?: number }).retryInMillis, undefined);
      const failed = results[4] as { error: OTLPExporterError };
      assert.ok(failed.error instanceof OTLPExporterError);
      assert.equal(failed.error.code, 400);
      assert.equal(failed.error.data, 'bad span');
    } finally {
      await server.stop();
    }
  });

  it('answers retryable when the server is unreachable or too slow', async () => {
    const closed = await startServer();
    await closed.stop();
    const unreachable = new OtlpHttpTransport(parameters(closed.url));
    const refused = await unreachable.send(body, 2_000);
    assert.equal(refused.status, 'retryable');
    assert.equal((refused as { error?: NodeJS.ErrnoException }).error?.code, 'ECONNREFUSED');

    const silent = await startServer(() => {});
    const slow = new OtlpHttpTransport(parameters(silent.url));
    try {
      const timedOut = await slow.send(body, 200);
      assert.equal(timedOut.status, 'retryable');
      assert.match(String((timedOut as { error?: Error }).error?.message), /timed out/);
    } finally {
      await silent.stop();
    }
  });

  it('waits for a slow answer when the timeout is longer than a Node timer can count', async () => {
    const server = await startServer((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), 30);
    });
    const transport = new OtlpHttpTransport(parameters(server.url));
    try {
      assert.equal((await transport.send(body, 2 ** 40)).status, 'success');
    } finally {
      transport.shutdown();
      await server.stop();
    }
  });

  it(`stops reading a response past ${MAX_RESPONSE_BYTES} bytes and fails the export`, async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1024));
    });
    const transport = new OtlpHttpTransport(parameters(server.url));
    try {
      const response = await transport.send(body, 5_000);
      assert.equal(response.status, 'failure');
      assert.match(String((response as { error: Error }).error.message), /exceeded/);
    } finally {
      await server.stop();
    }
  });

  it('speaks TLS to https endpoints, trusting the certificate OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE names', async () => {
    const { key, cert } = (await import(TLS_FIXTURE.href)) as { key: string; cert: string };
    const server = await startServer(ok, { key, cert });
    const dir = mkdtempSync(join(tmpdir(), 'sightline-tls-'));
    try {
      // Not trusted: the handshake fails, and that is not worth a retry.
      const untrusted = await new OtlpHttpTransport(parameters(server.url)).send(body, 5_000);
      assert.equal(untrusted.status, 'failure');
      assert.equal(server.received.length, 0);

      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, cert);
      process.env.OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE = caFile;
      const trusting = new OtlpHttpTransport(parameters(server.url));
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE;
      assert.equal((await trusting.send(body, 5_000)).status, 'success');
      assert.ok(Buffer.from(body).equals(server.received[0]?.body ?? Buffer.alloc(0)));
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE;
      rmSync(dir, { recursive: true, force: true });
      await server.stop();
    }
  });
});

describe('OTLP HTTP transport connections', () => {
  it('writes Host and keep-alive, and reads a chunked response body', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.write(Buffer.from([1, 2]));
      setTimeout(() => res.end(Buffer.from([3])), 5);
    });
    const transport = new OtlpHttpTransport(parameters(server.url));
    try {
      for (let i = 0; i < 2; i++) {
        const response = await transport.send(body, 5_000);
        assert.equal(response.status, 'success');
        assert.deepEqual([...((response as { data?: Uint8Array }).data ?? [])], [1, 2, 3]);
      }
      const { port } = new URL(server.url);
      assert.equal(server.received[0]?.headers.host, `127.0.0.1:${port}`);
      assert.equal(server.received[0]?.headers.connection, 'keep-alive');
      assert.equal(server.connections(), 1, 'a chunked answer leaves the connection reusable');
    } finally {
      transport.shutdown();
      await server.stop();
    }
  });

  it('opens one connection per request in flight, and keeps them for the next', async () => {
    const server = await startServer((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), 20);
    });
    const transport = new OtlpHttpTransport(parameters(server.url));
    try {
      const first = await Promise.all([transport.send(body, 5_000), transport.send(body, 5_000)]);
      assert.deepEqual(
        first.map((r) => r.status),
        ['success', 'success'],
      );
      assert.equal(server.connections(), 2);
      await Promise.all([transport.send(body, 5_000), transport.send(body, 5_000)]);
      assert.equal(server.connections(), 2, 'both kept connections were used again');
      assert.equal(server.received.length, 4);
    } finally {
      transport.shutdown();
      await server.stop();
    }
  });

  it('sends on a new connection, at once, when the server closed or reset the kept one', async () => {
    // Closed while idle, as a server whose keep-alive timeout ran out between two exports does.
    const closing = await startServer((req, res) => {
      res.on('finish', () => setTimeout(() => req.socket.end(), 10));
      res.writeHead(200).end();
    });
    const transport = new OtlpHttpTransport(parameters(closing.url));
    try {
      assert.equal((await transport.send(body, 5_000)).status, 'success');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await transport.send(body, 5_000)).status, 'success');
      assert.equal(closing.connections(), 2);
    } finally {
      transport.shutdown();
      await closing.stop();
    }

    // Reset as the request arrived, with no answer: sent once more on a fresh connection.
    let requests = 0;
    const resetting = await startServer((req, res) => {
      if (++requests === 2) req.socket.destroy();
      else res.writeHead(200).end();
    });
    const retried = new OtlpHttpTransport(parameters(resetting.url));
    try {
      assert.equal((await retried.send(body, 5_000)).status, 'success');
      assert.equal((await retried.send(body, 5_000)).status, 'success');
      assert.equal(resetting.received.length, 3, 'the reset request was sent again');
      assert.equal(resetting.connections(), 2);
    } finally {
      retried.shutdown();
      await resetting.stop();
    }
  });

  it('refuses a header that would break the request, sending nothing', async () => {
    const server = await startServer();
    try {
      const cases: Array<Record<string, string>> = [
        { 'x-tenant': 'a\r\nx-injected: 1' },
        { 'bad name': 'v' },
      ];
      for (const headers of cases) {
        const transport = new OtlpHttpTransport(parameters(server.url, { headers }));
        const response = await transport.send(body, 5_000);
        assert.equal(response.status, 'failure');
        assert.match(String((response as { error: Error }).error.message), /OTLP header/);
      }
      assert.equal(server.connections(), 0);
    } finally {
      await server.stop();
    }
  });

  it('does not keep the app running with an idle kept connection', async () => {
    const server = await startServer();
    try {
      const transportModule = new URL('../src/export/otlp-http-transport.js', import.meta.url);
      const script = `
        import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
        const { OtlpHttpTransport } = await import(${JSON.stringify(transportModule.href)});
        const transport = new OtlpHttpTransport(convertLegacyHttpOptions(
          { url: ${JSON.stringify(server.url)}, headers: {} }, 'TRACES', 'v1/traces', {}));
        const response = await transport.send(new Uint8Array(10), 5000);
        console.log('SENT', response.status, Date.now());`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      const [code] = (await once(child, 'exit')) as [number];
      const exitedAt = Date.now();
      assert.equal(code, 0);
      const sent = /SENT success (\d+)/.exec(output);
      assert.ok(sent, output);
      assert.equal(server.connections(), 1);
      // Kept alive (referenced), the socket would hold the process until it idled out.
      assert.ok(
        exitedAt - Number(sent[1]) < IDLE_CONNECTION_MILLIS,
        `exited ${exitedAt - Number(sent[1])} ms after the export`,
      );
    } finally {
      await server.stop();
    }
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    assert.equal(retryAfterMillis('3', now), 3000);
    assert.equal(retryAfterMillis(' 0 ', now), 0);
    assert.equal(retryAfterMillis('Thu, 03 Dec 2026 12:00:05 GMT', now), 5000);
    assert.equal(retryAfterMillis('Thu, 03 Dec 2026 11:00:00 GMT', now), 0);
    assert.equal(retryAfterMillis('soon', now), undefined);
    assert.equal(retryAfterMillis('-5', now), undefined);
    assert.equal(retryAfterMillis(undefined, now), undefined);
  });
});

/** A transport answering from a script, recording the timeout each attempt was given. */
class ScriptedTransport implements IExporterTransport {
  readonly timeouts: number[] = [];
  constructor(private readonly script: ExportResponse[]) {}
  async send(_data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    this.timeouts.push(timeoutMillis);
    return this.script.shift() ?? { status: 'success' };
  }
  shutdown(): void {}
}

describe('retrying transport', () => {
  const retryable: ExportResponse = { status: 'retryable' };

  it('retries with a growing, jittered backoff, or after the Retry-After the server gave', async () => {
    const inner = new ScriptedTransport([
      retryable,
      retryable,
      { status: 'retryable', retryInMillis: 70 },
    ]);
    const waits: number[] = [];
    const transport = new RetryingTransport(inner, async (millis) => {
      waits.push(millis);
    });
    const result = await transport.send(body, 60_000);
    assert.equal(result.status, 'success');
    assert.equal(inner.timeouts.length, 4);
    assert.equal(waits.length, 3);
    assert.ok(
      waits[0] !== undefined && waits[0] >= 800 && waits[0] <= 1200,
      `first wait ${waits[0]}`,
    );
    assert.ok(
      waits[1] !== undefined && waits[1] >= 1200 && waits[1] <= 1800,
      `second wait ${waits[1]}`,
    );
    assert.equal(waits[2], 70);
    assert.ok(inner.timeouts.every((t) => t <= 60_000 && t > 0));
  });

  it('gives up after five retries, and never waits past the export timeout', async () => {
    const always = new ScriptedTransport(Array.from({ length: 10 }, () => retryable));
    const waits: number[] = [];
    const patient = new RetryingTransport(always, async (millis) => {
      waits.push(millis);
    });
    assert.equal((await patient.send(body, 600_000)).status, 'retryable');
    assert.equal(always.timeouts.length, 6);
    assert.ok(
      waits.every((w) => w <= 5000),
      `backoff capped at 5 s: ${waits}`,
    );

    const hurried = new ScriptedTransport([retryable, retryable]);
    const noWait = new RetryingTransport(hurried, async () => {
      throw new Error('must not wait past the timeout');
    });
    assert.equal((await noWait.send(body, 500)).status, 'retryable');
    assert.equal(hurried.timeouts.length, 1);
  });

  it('does not retry a failure', async () => {
    const inner = new ScriptedTransport([{ status: 'failure', error: new Error('400') }]);
    const transport = new RetryingTransport(inner, async () => assert.fail('no wait'));
    assert.equal((await transport.send(body, 10_000)).status, 'failure');
    assert.equal(inner.timeouts.length, 1);
  });
});

describe('encoded span exporter over HTTP', () => {
  const warnings: string[] = [];
  diag.setLogger(
    {
      error: () => {},
      warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  after(() => diag.disable());

  it('retries a 503 until accepted, and reports a partial success the collector answers', async () => {
    // ExportTraceServiceResponse { partial_success { rejected_spans: 3, error_message: "too old" } }
    const partial = Buffer.from([0x0a, 0x0b, 0x08, 0x03, 0x12, 0x07, ...Buffer.from('too old')]);
    let calls = 0;
    const server = await startServer((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(503, { 'retry-after': '0' }).end();
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(partial);
    });
    const exporter = createOtlpBytesExporter({
      url: server.url,
      protocol: 'http/protobuf',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
    });
    try {
      const result = await new Promise<{ code: ExportResultCode }>((resolve) =>
        exporter.export({ bytes: new Uint8Array(body), spanCount: 10 }, resolve),
      );
      assert.equal(result.code, ExportResultCode.SUCCESS);
      assert.equal(server.received.length, 2, 'sent again after the 503');
      assert.ok(
        warnings.some((w) => /Partial Success/i.test(w) && /too old/.test(w)),
        `a partial-success warning: ${warnings.join(' | ')}`,
      );
    } finally {
      await exporter.shutdown();
      await server.stop();
    }
  });
});
