import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';
import { PG_USER, serviceSkipReason } from './support/services.js';

// Compiled to dist/test/; the fixtures stay in test/fixtures/.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const SERVER = 2;
const CLIENT = 3;

function runApp(file: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', '@sightline/node/register', file], {
      cwd: FIXTURES,
      env: {
        PATH: process.env.PATH ?? '',
        PGUSER: PG_USER,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_BSP_SCHEDULE_DELAY: '10',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('apps instrumented only through --import @sightline/node/register', () => {
  let receiver: OtlpReceiver;
  let skip: string | undefined;
  before(async () => {
    skip = (await serviceSkipReason('postgres')) ?? (await serviceSkipReason('redis'));
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.stop();
  });

  for (const [kind, file] of [
    ['ESM', 'data-app.mjs'],
    ['CommonJS', 'data-app.cjs'],
  ] as const) {
    it(`a ${kind} app yields HTTP, pg and Redis spans in one trace`, async (t) => {
      if (skip) return t.skip(skip);
      receiver.reset();
      const result = await runApp(file, {
        OTEL_SERVICE_NAME: `data-${kind}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /answer=42/);
      const find = (predicate: (s: ReceivedSpan) => boolean) => receiver.spans.find(predicate);
      const server = await receiver.waitFor(
        () => find((s) => s.kind === SERVER && s.attributes['url.path'] === '/data'),
        { what: `the ${kind} app's HTTP server span` },
      );
      const query = await receiver.waitFor(
        () =>
          find(
            (s) =>
              s.scope.name === '@opentelemetry/instrumentation-pg' && s.name.startsWith('pg.query'),
          ),
        { what: 'the pg query span' },
      );
      const ioredis = await receiver.waitFor(
        () =>
          find(
            (s) => s.scope.name === '@opentelemetry/instrumentation-ioredis' && s.name === 'get',
          ),
        { what: 'the ioredis span' },
      );
      const redis = await receiver.waitFor(
        () =>
          find(
            (s) =>
              s.scope.name === '@opentelemetry/instrumentation-redis' && s.name === 'redis-GET',
          ),
        { what: 'the node-redis span' },
      );
      const client = find((s) => s.kind === CLIENT && s.scope.name === '@sightline/node/http');
      assert.ok(client, 'the fetch CLIENT span');
      assert.equal(server.parentSpanId, client.spanId);
      for (const span of [query, ioredis, redis]) {
        assert.equal(span.traceId, server.traceId);
        assert.equal(span.parentSpanId, server.spanId);
        assert.equal(span.resource['service.name'], `data-${kind}`);
      }
      assert.equal(query.attributes['db.query.text'], 'SELECT $1::int + ? AS n');
      const tag = kind === 'ESM' ? 'esm' : 'cjs';
      assert.equal(ioredis.attributes['db.query.text'], `GET fixture:${tag}:{id}`);
      assert.equal(redis.attributes['db.query.text'], `GET fixture:${tag}:{id}`);
      assert.equal(redis.attributes['cache.hit'], false);
    });
  }

  it('runs only the instrumentations OTEL_NODE_ENABLED_INSTRUMENTATIONS names', async (t) => {
    if (skip) return t.skip(skip);
    receiver.reset();
    const result = await runApp('data-app.mjs', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'pg,nosuch',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /OTEL_NODE_ENABLED_INSTRUMENTATIONS names unknown instrumentation "nosuch"/,
    );
    await receiver.waitFor(() => receiver.spans.find((s) => s.name.startsWith('pg.query')), {
      what: 'the pg span',
    });
    const scopes = new Set(receiver.spans.map((s) => s.scope.name));
    assert.deepEqual([...scopes], ['@opentelemetry/instrumentation-pg']);
  });
});
