import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { OtlpProtocol } from '../src/config/options.js';
import { init } from '../src/index.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

const PROTOCOLS: OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

describe('init() exports all three signals to a real OTLP receiver', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver({ grpc: true });
  });
  after(async () => {
    await receiver.stop();
  });

  for (const protocol of PROTOCOLS) {
    it(`over ${protocol}, with resource, headers and gzip`, async () => {
      receiver.reset();
      const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl;
      const sightline = init({
        service: { name: `svc-${protocol}`, version: '2.0.0', namespace: 'shop' },
        resource: { attributes: { 'deployment.environment.name': 'test' } },
        otlp: { endpoint, protocol, headers: { 'x-api-key': 'secret-key' }, compression: 'gzip' },
        traces: { batch: { scheduledDelayMillis: 20 } },
        logs: { batch: { scheduledDelayMillis: 20 } },
        metrics: { exportIntervalMillis: 60_000 },
        shutdown: { handleSignals: false },
      });
      try {
        const tracer = trace.getTracer('test-scope', '1.2.3');
        tracer.startActiveSpan(
          'parent',
          { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id' } },
          (parent) => {
            const child = tracer.startSpan('child', { attributes: { retries: 2, ok: true } });
            child.addEvent('cache miss', { key: 'order:{id}' });
            child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
            child.end();
            logs.getLogger('test-scope').emit({
              severityNumber: SeverityNumber.WARN,
              severityText: 'WARN',
              body: 'inside parent',
              context: context.active(),
            });
            parent.end();
          },
        );
        metrics.getMeter('test-scope').createCounter('orders.placed').add(3, { region: 'eu' });
        metrics
          .getMeter('test-scope')
          .createHistogram('orders.value', { unit: 'EUR' })
          .record(42.5);
        await sightline.flush();

        const spans = await receiver.waitFor(() => receiver.spans.length >= 2 && receiver.spans, {
          what: 'two spans',
        });
        const parent = spans.find((s) => s.name === 'parent');
        const child = spans.find((s) => s.name === 'child');
        assert.ok(parent && child);
        assert.equal(child.parentSpanId, parent.spanId);
        assert.equal(child.traceId, parent.traceId);
        assert.equal(parent.kind, 2); // SPAN_KIND_SERVER on the wire
        assert.equal(parent.attributes['http.route'], '/orders/:id');
        assert.deepEqual(child.attributes, { retries: 2, ok: true });
        assert.equal(child.events[0]?.name, 'cache miss');
        assert.deepEqual(child.status, { code: 2, message: 'boom' });
        assert.deepEqual(child.scope, { name: 'test-scope', version: '1.2.3' });
        assert.equal(parent.resource['service.name'], `svc-${protocol}`);
        assert.equal(parent.resource['service.version'], '2.0.0');
        assert.equal(parent.resource['service.namespace'], 'shop');
        assert.equal(parent.resource['deployment.environment.name'], 'test');
        assert.equal(parent.resource['telemetry.sdk.language'], 'nodejs');
        assert.equal(typeof parent.resource['service.instance.id'], 'string');
        assert.equal(typeof parent.resource['host.name'], 'string');
        assert.equal(
          parent.resource['process.command_args'],
          undefined,
          'command lines may hold secrets',
        );

        const log = await receiver.waitFor(() => receiver.logs[0], { what: 'a log record' });
        assert.equal(log.body, 'inside parent');
        assert.equal(log.severityNumber, SeverityNumber.WARN);
        assert.equal(log.traceId, parent.traceId);
        assert.equal(log.spanId, parent.spanId);
        assert.equal(log.resource['service.name'], `svc-${protocol}`);

        const counter = await receiver.waitFor(
          () => receiver.metrics.find((m) => m.name === 'orders.placed'),
          { what: 'orders.placed' },
        );
        assert.equal(counter.type, 'sum');
        assert.equal(counter.points[0]?.value, 3);
        assert.deepEqual(counter.points[0]?.attributes, { region: 'eu' });
        const histogram = receiver.metrics.find((m) => m.name === 'orders.value');
        assert.equal(histogram?.type, 'histogram');
        assert.equal(histogram?.points[0]?.sum, 42.5);

        for (const request of receiver.requests) {
          assert.equal(request.transport, protocol);
          assert.equal(request.headers['x-api-key'], 'secret-key');
          assert.equal(request.gzip, true);
          if (protocol !== 'grpc') {
            // Every OTLP/HTTP signal goes out through Sightline's transport, not node:http's client.
            assert.match(
              request.headers['user-agent'] ?? '',
              /^Sightline-OTLP-Exporter-JavaScript\//,
              `${request.signal} over ${protocol}`,
            );
          }
        }
        assert.deepEqual(
          new Set(receiver.requests.map((r) => r.signal)),
          new Set(['traces', 'logs', 'metrics']),
        );
      } finally {
        await sightline.shutdown();
      }
    });
  }

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`with traces.exportWorker false, sends ${protocol} spans from the app's thread`, async (t) => {
      receiver.reset();
      const workersBefore = workerThreads();
      const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl;
      const sightline = init({
        service: { name: `in-thread-${protocol}` },
        otlp: { endpoint, protocol },
        traces: { exportWorker: false, batch: { scheduledDelayMillis: 20, maxExportBatchSize: 3 } },
        metrics: { exporters: ['none'] },
        logs: { exporters: ['none'] },
        shutdown: { handleSignals: false },
      });
      try {
        const tracer = trace.getTracer('in-thread');
        for (let i = 0; i < 7; i++) tracer.startSpan(`span ${i}`, { attributes: { i } }).end();
        await sightline.flush();
        const spans = await receiver.waitFor(() => receiver.spans.length >= 7 && receiver.spans, {
          what: 'seven spans',
        });
        assert.deepEqual(spans.map((s) => s.attributes.i).sort(), [0, 1, 2, 3, 4, 5, 6]);
        // Batches of at most three: the queue's rules hold on this path too.
        const traceRequests = receiver.requests.filter((r) => r.signal === 'traces');
        assert.equal(traceRequests.length, 3);
        assert.ok(traceRequests.every((r) => r.transport === protocol));
        if (workersBefore === undefined) {
          t.diagnostic(
            'no /proc/self/task here (not Linux): the worker-thread count is not checked',
          );
        } else {
          assert.equal(workerThreads(), workersBefore, 'no export worker thread started');
        }
        // The export requests now leave from the app's thread, past the HTTP instrumentation: they
        // run with tracing suppressed and make no spans of their own.
        await sightline.flush();
        assert.deepEqual(
          receiver.spans.filter((s) => !s.name.startsWith('span ')).map((s) => s.name),
          [],
        );
      } finally {
        await sightline.shutdown();
      }
    });
  }

  it('exports to several exporters at once: OTLP and Zipkin', async () => {
    receiver.reset();
    const zipkinBodies: unknown[] = [];
    const zipkin = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        zipkinBodies.push(JSON.parse(body));
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => zipkin.listen(0, '127.0.0.1', resolve));
    const sightline = init({
      service: { name: 'fan-out' },
      otlp: { endpoint: receiver.httpUrl },
      traces: {
        exporters: ['otlp', 'zipkin'],
        zipkin: {
          endpoint: `http://127.0.0.1:${(zipkin.address() as { port: number }).port}/api/v2/spans`,
        },
        batch: { scheduledDelayMillis: 10 },
      },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      // The Zipkin sink runs in this process: tracing its requests would export them again, forever.
      instrumentations: { disabled: ['http'] },
      shutdown: { handleSignals: false },
    });
    try {
      trace.getTracer('t').startSpan('to both').end();
      await sightline.flush();
      await receiver.waitFor(() => receiver.spans.length === 1, { what: 'the OTLP copy' });
      const spans = zipkinBodies.flat() as Array<{
        name: string;
        localEndpoint: { serviceName: string };
      }>;
      assert.equal(spans.length, 1);
      assert.equal(spans[0]?.name, 'to both');
      assert.equal(spans[0]?.localEndpoint.serviceName, 'fan-out');
    } finally {
      await sightline.shutdown();
      zipkin.close();
    }
  });

  it('sends the signals to per-signal endpoints and exporters', async () => {
    receiver.reset();
    const sightline = init({
      otlp: { endpoint: 'http://127.0.0.1:9/unused' },
      traces: {
        otlp: { endpoint: `${receiver.httpUrl}/v1/traces`, protocol: 'http/json' },
        batch: { scheduledDelayMillis: 10 },
      },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    try {
      trace.getTracer('t').startSpan('only traces').end();
      await sightline.flush();
      await receiver.waitFor(() => receiver.spans.length === 1, { what: 'one span' });
      assert.deepEqual(
        receiver.requests.map((r) => [r.signal, r.transport]),
        [['traces', 'http/json']],
      );
    } finally {
      await sightline.shutdown();
    }
  });
});

/** Worker threads of this process now (Node names their OS threads "WorkerThread"); Linux only. */
function workerThreads(): number | undefined {
  if (!existsSync('/proc/self/task')) return undefined;
  return readdirSync('/proc/self/task').filter((task) => {
    try {
      return readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'WorkerThread';
    } catch {
      return false; // the thread ended while we looked
    }
  }).length;
}
