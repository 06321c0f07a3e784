/**
 * Proves the test receiver decodes what the OFFICIAL OpenTelemetry JS exporters send, over all three OTLP
 * transports, with no Sightline code involved.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Metadata } from '@grpc/grpc-js';
import {
  ROOT_CONTEXT,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  ValueType,
} from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  LoggerProvider,
  type LogRecordExporter,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  decodeOtlpRequest,
  type OtlpReceiver,
  type ReceivedRequest,
  startOtlpReceiver,
  type Transport,
} from './otlp-receiver.js';

const PROTOCOLS: Transport[] = ['http/protobuf', 'http/json', 'grpc'];
/** The exporters type `compression` as their own copy of a string enum (nominal in TS); 'gzip' is its value. */
const GZIP = 'gzip' as never;
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

interface Exporters {
  spans: SpanExporter;
  metrics: PushMetricExporter;
  logs: LogRecordExporter;
}

/** The official exporters for one protocol, pointed at the receiver, sending `x-test-header: <protocol>`. */
function officialExporters(
  receiver: OtlpReceiver,
  protocol: Transport,
  compression?: 'gzip',
): Exporters {
  const headers = { 'x-test-header': `hello ${protocol}` };
  const http = (signal: string) => ({
    url: `${receiver.httpUrl}/v1/${signal}`,
    headers,
    ...(compression ? { compression: GZIP } : {}),
  });
  switch (protocol) {
    case 'http/protobuf':
      return {
        spans: new ProtoTraceExporter(http('traces')),
        metrics: new ProtoMetricExporter(http('metrics')),
        logs: new ProtoLogExporter(http('logs')),
      };
    case 'http/json':
      return {
        spans: new JsonTraceExporter(http('traces')),
        metrics: new JsonMetricExporter(http('metrics')),
        logs: new JsonLogExporter(http('logs')),
      };
    case 'grpc': {
      assert.ok(receiver.grpcUrl, 'the receiver was started without gRPC');
      const metadata = new Metadata();
      for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
      const config = {
        url: receiver.grpcUrl,
        metadata,
        ...(compression ? { compression: GZIP } : {}),
      };
      return {
        spans: new GrpcTraceExporter(config),
        metrics: new GrpcMetricExporter(config),
        logs: new GrpcLogExporter(config),
      };
    }
  }
}

const resourceFor = (protocol: string) =>
  resourceFromAttributes({
    'service.name': `receiver-test ${protocol}`,
    'service.version': '1.0.0',
  });

/** Ends a parent SERVER span and a child span (attributes, events, a link, error status) through the SDK. */
async function sendSpans(
  exporter: SpanExporter,
  protocol: string,
): Promise<{ traceId: string; parentId: string; linkedTraceId: string; linkedSpanId: string }> {
  const provider = new TracerProvider({
    resource: resourceFor(protocol),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  try {
    const tracer = provider.getTracer('receiver-test-scope', '1.2.3');
    const linked = tracer.startSpan('linked');
    linked.end();
    const parent = tracer.startSpan('parent', {
      kind: SpanKind.SERVER,
      attributes: { 'http.route': '/orders/:id' },
    });
    const child = tracer.startSpan(
      'child',
      {
        attributes: {
          text: 'x',
          count: 3,
          negative: -7,
          big: 2 ** 40,
          ratio: 0.25,
          ok: true,
          no: false,
          tags: ['a', 'b'],
          codes: [1, 2],
        },
        links: [{ context: linked.spanContext(), attributes: { 'link.kind': 'follows' } }],
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    child.addEvent('cache miss', { key: 'order:{id}', attempt: 2 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    child.end();
    parent.end();
    await provider.forceFlush();
    return {
      traceId: parent.spanContext().traceId,
      parentId: parent.spanContext().spanId,
      linkedTraceId: linked.spanContext().traceId,
      linkedSpanId: linked.spanContext().spanId,
    };
  } finally {
    await provider.shutdown();
  }
}

async function sendMetrics(exporter: PushMetricExporter, protocol: string): Promise<void> {
  const provider = new MeterProvider({
    resource: resourceFor(protocol),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
  });
  try {
    const meter = provider.getMeter('receiver-test-scope', '1.2.3');
    const counter = meter.createCounter('orders.placed', {
      description: 'Orders placed',
      unit: '{order}',
      valueType: ValueType.INT,
    });
    counter.add(3, { region: 'eu' });
    counter.add(2, { region: 'eu' });
    meter.createUpDownCounter('queue.depth').add(-4.5);
    meter.createGauge('temperature', { unit: 'Cel' }).record(21.5, { room: 'lab' });
    const histogram = meter.createHistogram('orders.value', {
      unit: 'EUR',
      advice: { explicitBucketBoundaries: [10, 100] },
    });
    histogram.record(42.5);
    histogram.record(7.5);
    await provider.forceFlush();
  } finally {
    await provider.shutdown();
  }
}

async function sendLogs(
  exporter: LogRecordExporter,
  protocol: string,
): Promise<{ traceId: string; spanId: string }> {
  const provider = new LoggerProvider({
    resource: resourceFor(protocol),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  try {
    const logger = provider.getLogger('receiver-test-scope', '1.2.3');
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'disk almost full',
      attributes: { 'disk.free': 12, path: '/var' },
      context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
    });
    logger.emit({
      severityNumber: SeverityNumber.INFO,
      eventName: 'order.created',
      body: {
        id: 42,
        lines: ['a', 1, true],
        nested: { price: 9.5 },
        raw: new Uint8Array([0, 1, 254, 255]),
      },
    });
    await provider.forceFlush();
    return spanContext;
  } finally {
    await provider.shutdown();
  }
}

function requestsFor(receiver: OtlpReceiver, signal: ReceivedRequest['signal']): ReceivedRequest[] {
  return receiver.requests.filter((r) => r.signal === signal);
}

function assertRequestsCameOver(
  requests: ReceivedRequest[],
  protocol: Transport,
  gzip: boolean,
): void {
  assert.ok(requests.length > 0, 'no request was recorded');
  for (const request of requests) {
    assert.equal(request.transport, protocol);
    assert.equal(request.gzip, gzip);
    assert.equal(request.status, 200);
    assert.equal(request.headers['x-test-header'], `hello ${protocol}`);
    assert.match(request.headers['user-agent'] ?? '', /OTel-OTLP-Exporter-JavaScript\//);
    if (protocol === 'grpc') {
      assert.match(
        request.path,
        /^\/opentelemetry\.proto\.collector\.(trace|metrics|logs)\.v1\.(Trace|Metrics|Logs)Service\/Export$/,
      );
    } else {
      assert.equal(request.path, `/v1/${request.signal}`);
      assert.equal(
        request.headers['content-type'],
        protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      );
    }
  }
}

describe('the OTLP test receiver, fed by the official OpenTelemetry exporters', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver({ grpc: true });
  });
  after(async () => {
    await receiver.stop();
  });

  it('listens on 127.0.0.1 on two ephemeral ports', () => {
    assert.match(receiver.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(receiver.grpcUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(receiver.httpUrl, receiver.grpcUrl);
  });

  for (const protocol of PROTOCOLS) {
    describe(`over ${protocol}`, () => {
      it('decodes spans: ids, parent, kind, attributes, events, links, status, resource, scope', async () => {
        receiver.reset();
        const sent = await sendSpans(officialExporters(receiver, protocol).spans, protocol);
        const spans = await receiver.waitFor(() => receiver.spans.length >= 3 && receiver.spans, {
          what: 'three spans',
        });
        assert.equal(spans.length, 3);
        const parent = spans.find((s) => s.name === 'parent');
        const child = spans.find((s) => s.name === 'child');
        assert.ok(parent && child);

        assert.match(parent.traceId, HEX32);
        assert.match(parent.spanId, HEX16);
        assert.equal(parent.traceId, sent.traceId);
        assert.equal(parent.spanId, sent.parentId);
        assert.equal(parent.parentSpanId, '');
        assert.equal(child.traceId, parent.traceId);
        assert.equal(child.parentSpanId, parent.spanId);
        assert.notEqual(child.spanId, parent.spanId);

        assert.equal(parent.kind, 2, 'SPAN_KIND_SERVER');
        assert.equal(child.kind, 1, 'SPAN_KIND_INTERNAL');
        assert.deepEqual(parent.attributes, { 'http.route': '/orders/:id' });
        assert.deepEqual(child.attributes, {
          text: 'x',
          count: 3,
          negative: -7,
          big: 2 ** 40,
          ratio: 0.25,
          ok: true,
          no: false,
          tags: ['a', 'b'],
          codes: [1, 2],
        });
        assert.deepEqual(child.events, [
          { name: 'cache miss', attributes: { key: 'order:{id}', attempt: 2 } },
        ]);
        assert.deepEqual(child.links, [
          {
            traceId: sent.linkedTraceId,
            spanId: sent.linkedSpanId,
            attributes: { 'link.kind': 'follows' },
          },
        ]);
        assert.deepEqual(child.status, { code: 2, message: 'boom' });
        assert.deepEqual(parent.status, { code: 0, message: '' });
        assert.equal(child.traceState, '');
        assert.equal(child.flags & 0xff, 1, 'sampled');

        assert.equal(typeof child.startTimeUnixNano, 'bigint');
        assert.ok(child.endTimeUnixNano >= child.startTimeUnixNano);
        const nowNanos = BigInt(Date.now()) * 1_000_000n;
        assert.ok(
          nowNanos - child.startTimeUnixNano < 60_000_000_000n && child.startTimeUnixNano > 0n,
          'start time is about now',
        );

        assert.equal(child.resource['service.name'], `receiver-test ${protocol}`);
        assert.equal(child.resource['service.version'], '1.0.0');
        assert.deepEqual(child.scope, { name: 'receiver-test-scope', version: '1.2.3' });

        const requests = requestsFor(receiver, 'traces');
        assertRequestsCameOver(requests, protocol, false);
        assert.equal(
          requests.reduce((n, r) => n + r.items, 0),
          3,
        );
      });

      it('decodes metrics: counter, up-down counter, gauge and histogram', async () => {
        receiver.reset();
        await sendMetrics(officialExporters(receiver, protocol).metrics, protocol);
        await receiver.waitFor(() => receiver.metrics.length >= 4, { what: 'four metrics' });
        const byName = new Map(receiver.metrics.map((m) => [m.name, m]));

        const counter = byName.get('orders.placed');
        assert.ok(counter);
        assert.equal(counter.type, 'sum');
        assert.equal(counter.description, 'Orders placed');
        assert.equal(counter.unit, '{order}');
        assert.equal(counter.isMonotonic, true);
        assert.equal(counter.temporality, 2, 'cumulative');
        assert.deepEqual(counter.points, [{ attributes: { region: 'eu' }, value: 5 }]);
        assert.equal(counter.resource['service.name'], `receiver-test ${protocol}`);
        assert.deepEqual(counter.scope, { name: 'receiver-test-scope', version: '1.2.3' });

        const upDown = byName.get('queue.depth');
        assert.equal(upDown?.type, 'sum');
        assert.equal(upDown.isMonotonic, false);
        assert.deepEqual(upDown.points, [{ attributes: {}, value: -4.5 }]);

        const gauge = byName.get('temperature');
        assert.equal(gauge?.type, 'gauge');
        assert.equal(gauge.temporality, undefined);
        assert.equal(gauge.unit, 'Cel');
        assert.deepEqual(gauge.points, [{ attributes: { room: 'lab' }, value: 21.5 }]);

        const histogram = byName.get('orders.value');
        assert.equal(histogram?.type, 'histogram');
        assert.equal(histogram.unit, 'EUR');
        assert.equal(histogram.temporality, 2);
        assert.deepEqual(histogram.points, [
          {
            attributes: {},
            count: 2,
            sum: 50,
            min: 7.5,
            max: 42.5,
            bucketCounts: [1, 1, 0],
            explicitBounds: [10, 100],
          },
        ]);

        assertRequestsCameOver(requestsFor(receiver, 'metrics'), protocol, false);
      });

      it('decodes log records: body (string and structured), severity, trace context, attributes', async () => {
        receiver.reset();
        const context = await sendLogs(officialExporters(receiver, protocol).logs, protocol);
        await receiver.waitFor(() => receiver.logs.length >= 2, { what: 'two log records' });
        // SimpleLogRecordProcessor exports each record on its own, so the two requests may arrive in either order.
        const warn = receiver.logs.find((l) => l.severityText === 'WARN');
        const event = receiver.logs.find((l) => l.eventName === 'order.created');
        assert.ok(warn && event);

        assert.equal(warn.body, 'disk almost full');
        assert.equal(warn.severityNumber, 13, 'SEVERITY_NUMBER_WARN');
        assert.equal(warn.severityText, 'WARN');
        assert.equal(warn.traceId, context.traceId);
        assert.equal(warn.spanId, context.spanId);
        assert.equal(warn.flags & 0xff, 1);
        assert.deepEqual(warn.attributes, { 'disk.free': 12, path: '/var' });
        assert.equal(warn.resource['service.name'], `receiver-test ${protocol}`);
        assert.deepEqual(warn.scope, { name: 'receiver-test-scope', version: '1.2.3' });
        assert.ok(warn.timeUnixNano > 0n || warn.observedTimeUnixNano > 0n);

        assert.equal(event.eventName, 'order.created');
        assert.equal(event.severityNumber, 9, 'SEVERITY_NUMBER_INFO');
        assert.equal(event.traceId, '');
        assert.equal(event.spanId, '');
        assert.deepEqual(event.body, {
          id: 42,
          lines: ['a', 1, true],
          nested: { price: 9.5 },
          raw: new Uint8Array([0, 1, 254, 255]),
        });

        assertRequestsCameOver(requestsFor(receiver, 'logs'), protocol, false);
      });

      it('decodes gzip-compressed requests', async () => {
        receiver.reset();
        const exporters = officialExporters(receiver, protocol, 'gzip');
        await sendSpans(exporters.spans, protocol);
        await sendMetrics(exporters.metrics, protocol);
        await sendLogs(exporters.logs, protocol);
        await receiver.waitFor(
          () =>
            receiver.spans.length >= 3 && receiver.metrics.length >= 4 && receiver.logs.length >= 2,
          {
            what: 'spans, metrics and logs sent with gzip',
          },
        );
        assert.deepEqual(receiver.spans.find((s) => s.name === 'child')?.status, {
          code: 2,
          message: 'boom',
        });
        assert.deepEqual(receiver.metrics.find((m) => m.name === 'orders.placed')?.points, [
          { attributes: { region: 'eu' }, value: 5 },
        ]);
        assert.ok(receiver.logs.some((l) => l.body === 'disk almost full'));
        assertRequestsCameOver(receiver.requests, protocol, true);
        if (protocol !== 'grpc') {
          for (const request of receiver.requests)
            assert.equal(request.headers['content-encoding'], 'gzip');
        }
        assert.deepEqual(receiver.errors, []);
      });
    });
  }
});

/** Exports spans straight through an exporter and reports its ExportResult. */
async function exportThrough(exporter: SpanExporter, names: string[]): Promise<ExportResult> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('refusal-test');
  for (const name of names) tracer.startSpan(name).end();
  await provider.forceFlush();
  const spans: ReadableSpan[] = memory.getFinishedSpans();
  await provider.shutdown();
  return new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
}

describe('the OTLP test receiver answering through `respond`', () => {
  for (const protocol of PROTOCOLS) {
    it(`over ${protocol}: a 503 refusal records the request but not the data`, async () => {
      const seen: ReceivedRequest[] = [];
      const receiver = await startOtlpReceiver({
        grpc: true,
        respond: (request) => {
          seen.push(request);
          // Retry-After beyond the exporters' 10 s export timeout: the HTTP exporters give up instead of retrying.
          return { status: 503, headers: { 'retry-after': '60' } };
        },
      });
      try {
        const exporter = officialExporters(receiver, protocol).spans;
        const result = await exportThrough(exporter, ['refused']);
        await exporter.shutdown();
        assert.equal(result.code, ExportResultCode.FAILED);
        assert.deepEqual(receiver.requests, seen);
        for (const request of receiver.requests) {
          assert.equal(request.status, 503);
          assert.equal(request.signal, 'traces');
          assert.equal(request.transport, protocol);
          assert.equal(request.items, 0);
        }
        assert.equal(receiver.requests.length, 1);
        assert.deepEqual(receiver.spans, []);
        assert.deepEqual(receiver.errors, []);
      } finally {
        await receiver.stop();
      }
    });
  }

  it('records the data once the refusals stop, and passes Retry-After to HTTP exporters', async () => {
    let refusals = 0;
    const receiver = await startOtlpReceiver({
      respond: () =>
        refusals++ < 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined,
    });
    try {
      const exporter = officialExporters(receiver, 'http/protobuf').spans;
      const started = Date.now();
      const result = await exportThrough(exporter, ['a', 'b']);
      await exporter.shutdown();
      assert.equal(result.code, ExportResultCode.SUCCESS);
      assert.ok(Date.now() - started >= 900, 'the exporter waited for Retry-After');
      assert.deepEqual(
        receiver.requests.map((r) => [r.status, r.items]),
        [
          [429, 0],
          [200, 2],
        ],
      );
      assert.deepEqual(receiver.spans.map((s) => s.name).sort(), ['a', 'b']);
    } finally {
      await receiver.stop();
    }
  });
});

describe('the OTLP test receiver over plain HTTP', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.stop();
  });

  const post = (
    path: string,
    contentType: string,
    body: string | Uint8Array,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${receiver.httpUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });

  it('reads the OTLP JSON mapping: enum names or numbers, int64 as strings, any-case hex ids, base64 bytes', async () => {
    receiver.reset();
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'hand-written' } }],
          },
          scopeSpans: [
            {
              scope: { name: 'manual' },
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  parentSpanId: 'eee19b7ec3c1b173',
                  name: 'hand-written span',
                  kind: 'SPAN_KIND_CLIENT',
                  startTimeUnixNano: '1544712660000000000',
                  endTimeUnixNano: 1544712661000000000,
                  attributes: [
                    { key: 'huge', value: { intValue: '9007199254740993' } },
                    { key: 'small', value: { intValue: '-12' } },
                    { key: 'bytes', value: { bytesValue: 'AAH+/w==' } },
                    {
                      key: 'map',
                      value: {
                        kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }] },
                      },
                    },
                    { key: 'empty', value: {} },
                  ],
                  status: { code: 'STATUS_CODE_OK' },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await post(
      '/v1/traces',
      'application/json; charset=utf-8',
      JSON.stringify(body),
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), {});

    const [span] = receiver.spans;
    assert.ok(span);
    assert.equal(span.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(span.spanId, 'eee19b7ec3c1b174');
    assert.equal(span.parentSpanId, 'eee19b7ec3c1b173');
    assert.equal(span.kind, 3);
    assert.equal(span.startTimeUnixNano, 1544712660000000000n);
    assert.equal(span.endTimeUnixNano, 1544712661000000000n);
    assert.deepEqual(span.attributes, {
      huge: 9007199254740993n,
      small: -12,
      bytes: new Uint8Array([0, 1, 254, 255]),
      map: { k: 1.5 },
      empty: undefined,
    });
    assert.deepEqual(span.status, { code: 1, message: '' });
    assert.deepEqual(span.scope, { name: 'manual', version: '' });
    assert.deepEqual(span.resource, { 'service.name': 'hand-written' });
  });

  it('decodes the same request identically from protobuf and from JSON', () => {
    const json = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '5',
                  severityNumber: 17,
                  body: { arrayValue: { values: [{ intValue: 1 }, { boolValue: false }] } },
                  traceId: 'ab'.repeat(16),
                },
              ],
            },
          ],
        },
      ],
    };
    const fromJson = decodeOtlpRequest('logs', 'json', Buffer.from(JSON.stringify(json)));
    // The protobuf wire form of the same ExportLogsServiceRequest, written byte by byte.
    const traceId = Buffer.from('ab'.repeat(16), 'hex');
    // AnyValue { array_value (5): ArrayValue { values (1): [AnyValue { int_value (3): 1 }, AnyValue { bool_value (2): false }] } }
    const body = Buffer.from([0x2a, 0x08, 0x0a, 0x02, 0x18, 0x01, 0x0a, 0x02, 0x10, 0x00]);
    const record = Buffer.concat([
      Buffer.from([0x09, 5, 0, 0, 0, 0, 0, 0, 0]), // time_unix_nano (1, fixed64) = 5
      Buffer.from([0x10, 17]), // severity_number (2) = ERROR
      Buffer.from([0x2a, body.length]), // body (5)
      body,
      Buffer.from([0x4a, 16]), // trace_id (9)
      traceId,
    ]);
    const scopeLogs = Buffer.concat([Buffer.from([0x12, record.length]), record]); // log_records (2)
    const resourceLogs = Buffer.concat([Buffer.from([0x12, scopeLogs.length]), scopeLogs]); // scope_logs (2)
    const request = Buffer.concat([Buffer.from([0x0a, resourceLogs.length]), resourceLogs]); // resource_logs (1)
    const fromProtobuf = decodeOtlpRequest('logs', 'protobuf', request);
    assert.deepEqual(fromProtobuf, fromJson);
    assert.deepEqual(fromProtobuf.logs[0]?.body, [1, false]);
    assert.equal(fromProtobuf.logs[0]?.severityNumber, 17);
    assert.equal(fromProtobuf.logs[0]?.timeUnixNano, 5n);
    assert.equal(fromProtobuf.logs[0]?.traceId, 'ab'.repeat(16));
  });

  it('answers a protobuf request with an empty protobuf body, and reads gzip', async () => {
    receiver.reset();
    const response = await post(
      '/v1/metrics',
      'application/x-protobuf',
      gzipSync(Buffer.alloc(0)),
      { 'content-encoding': 'gzip' },
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-protobuf');
    assert.equal((await response.arrayBuffer()).byteLength, 0);
    assert.deepEqual(
      receiver.requests.map((r) => [r.signal, r.transport, r.gzip, r.items]),
      [['metrics', 'http/protobuf', true, 0]],
    );
  });

  it('answers 400 to undecodable bodies and records nothing from them', async () => {
    receiver.reset();
    const cases: [string, string, string | Uint8Array, Record<string, string>?][] = [
      ['/v1/traces', 'application/json', '{not json'],
      [
        '/v1/traces',
        'application/json',
        JSON.stringify({
          resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'not-hex', name: 'x' }] }] }],
        }),
      ],
      ['/v1/logs', 'application/json', JSON.stringify({ resourceLogs: 'not a list' })],
      ['/v1/traces', 'application/x-protobuf', new Uint8Array([0x0a, 0xff, 0xff, 0x01])],
      [
        '/v1/logs',
        'application/x-protobuf',
        new Uint8Array([1, 2, 3]),
        { 'content-encoding': 'gzip' },
      ],
    ];
    for (const [path, contentType, body, headers] of cases) {
      const response = await post(path, contentType, body, headers);
      assert.equal(response.status, 400, `${contentType} ${String(body)}`);
      await response.arrayBuffer();
    }
    assert.deepEqual(receiver.spans, []);
    assert.deepEqual(receiver.logs, []);
    assert.equal(receiver.errors.length, cases.length);
    assert.deepEqual(
      receiver.requests.map((r) => r.status),
      cases.map(() => 400),
    );
  });

  it('answers 404, 405 and 415 to what is not an OTLP export', async () => {
    receiver.reset();
    assert.equal((await post('/v1/spans', 'application/json', '{}')).status, 404);
    assert.equal((await fetch(`${receiver.httpUrl}/v1/traces`)).status, 405);
    assert.equal((await post('/v1/traces', 'text/plain', '{}')).status, 415);
    assert.deepEqual(receiver.requests, []);
  });

  it('waitFor names what it waited for when it times out', async () => {
    await assert.rejects(
      receiver.waitFor(() => receiver.spans.find((s) => s.name === 'never'), {
        timeoutMs: 50,
        what: 'the span that never comes',
      }),
      (error: Error) => {
        assert.match(error.message, /Timed out after 50 ms waiting for the span that never comes/);
        return true;
      },
    );
    await assert.rejects(
      receiver.waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 30 },
      ),
      /The predicate last threw: not yet/,
    );
  });
});
