import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

interface Service {
  child: ChildProcess;
  url: string;
}

async function startService(name: string, receiver: OtlpReceiver, downstream?: string) {
  const child = spawn(
    process.execPath,
    ['--import', '@sightline/node/register', 'http-service.mjs'],
    {
      cwd: FIXTURES,
      env: {
        PATH: process.env.PATH ?? '',
        OTEL_SERVICE_NAME: name,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        ...(downstream === undefined ? {} : { DOWNSTREAM: downstream }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /READY (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` } satisfies Service;
}

describe('two HTTP services in separate processes', () => {
  let receiver: OtlpReceiver;
  let a: Service;
  let b: Service;

  before(async () => {
    receiver = await startOtlpReceiver();
    b = await startService('service-b', receiver);
    a = await startService('service-a', receiver, b.url);
  });

  after(async () => {
    for (const service of [a, b]) {
      if (service === undefined || service.child.exitCode !== null) continue;
      const exited = once(service.child, 'exit');
      service.child.kill('SIGTERM');
      await exited;
    }
    await receiver.stop();
  });

  for (const [client, path, kind] of [
    ['fetch', '/checkout', 'fetch'],
    ['node:http', '/via-http', 'http'],
  ] as const) {
    it(`make one trace A(server) → A(${client} client) → B(server), with baggage crossing`, async () => {
      receiver.reset();
      const response = await fetch(`${a.url}${path}`, {
        headers: { baggage: 'tenant=acme,user.tier=gold' },
      });
      assert.equal(response.status, 200);
      const seenByB = (await response.json()) as { traceparent: string; baggage: string | null };
      assert.match(seenByB.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      assert.equal(seenByB.baggage, 'tenant=acme,user.tier=gold', 'A forwards the baggage it got');

      const spans = await receiver.waitFor(
        () => {
          const got = receiver.spans.filter((s) => s.kind === 2 || s.kind === 3);
          return got.length >= 3 ? got : undefined;
        },
        { what: `three spans for ${kind}` },
      );
      const [, traceId, clientSpanId] = seenByB.traceparent.split('-');
      assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one trace');
      assert.equal(spans[0]?.traceId, traceId);
      const serverA = spans.find((s) => s.kind === 2 && s.resource['service.name'] === 'service-a');
      const clientA = spans.find((s) => s.kind === 3 && s.resource['service.name'] === 'service-a');
      const serverB = spans.find((s) => s.kind === 2 && s.resource['service.name'] === 'service-b');
      assert.ok(serverA && clientA && serverB, JSON.stringify(spans.map((s) => s.name)));
      assert.equal(serverA.parentSpanId, '', 'A is the root: the test sent no traceparent');
      assert.equal(clientA.parentSpanId, serverA.spanId);
      assert.equal(clientA.spanId, clientSpanId, 'B saw the client span as its parent');
      assert.equal(serverB.parentSpanId, clientA.spanId);
      assert.equal(serverB.attributes['http.response.status_code'], 200);
    });
  }
});
