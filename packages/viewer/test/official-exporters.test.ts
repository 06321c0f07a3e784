/**
 * The official OpenTelemetry JS exporters (http/protobuf, http/json, gRPC) send traces, metrics and logs to
 * a real viewer; everything they sent is read back through the query API, intact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsHttp } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsHttp } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceHttp } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { type Fixture, hrToNs, startFixture } from './support/viewer-fixture.js';

type Transport = 'http/protobuf' | 'http/json' | 'grpc';
const TRANSPORTS: Transport[] = ['http/protobuf', 'http/json', 'grpc'];

interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  service: string;
  scope: { name: string; version: string };
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message: string };
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
  resourceIndex: number;
  flags: number;
}

function exporters(t: Transport, f: Fixture) {
  const http = f.viewer.httpUrl;
  const grpc = `http://${f.viewer.grpcAddress}`;
  if (t === 'http/protobuf')
    return {
      traces: new TraceProto({ url: `${http}/v1/traces`, compression: 'gzip' as never }),
      metrics: new MetricsProto({ url: `${http}/v1/metrics` }),
      logs: new LogsProto({ url: `${http}/v1/logs` }),
    };
  if (t === 'http/json')
    return {
      traces: new TraceHttp({ url: `${http}/v1/traces` }),
      metrics: new MetricsHttp({ url: `${http}/v1/metrics`, compression: 'gzip' as never }),
      logs: new LogsHttp({ url: `${http}/v1/logs` }),
    };
  return {
    traces: new TraceGrpc({ url: grpc }),
    metrics: new MetricsGrpc({ url: grpc }),
    logs: new LogsGrpc({ url: grpc, compression: 'gzip' as never }),
  };
}

const KIND: Record<number, number> = {
  [SpanKind.INTERNAL]: 1,
  [SpanKind.SERVER]: 2,
  [SpanKind.CLIENT]: 3,
  [SpanKind.PRODUCER]: 4,
  [SpanKind.CONSUMER]: 5,
};

describe('official OTel exporters → viewer → query API', () => {
  let f: Fixture;
  before(async () => {
    // every trace request through a decode worker: what large exports take in production
    f = await startFixture({ decodeWorkers: 1, decodeWorkerMinBytes: 0 });
  });
  after(async () => {
    await f.close();
  });

  for (const t of TRANSPORTS) {
    it(`keeps spans with events, links, status, kind, resource and scope intact over ${t}`, async () => {
      const service = `svc-${t}`;
      const memory = new InMemorySpanExporter();
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          'deploy.slot': 3,
          region: 'eu',
        }),
        spanProcessors: [
          new SimpleSpanProcessor({ exporter: exporters(t, f).traces }),
          new SimpleSpanProcessor({ exporter: memory }),
        ],
      });
      const tracer = provider.getTracer('scope-a', '1.2.3');
      const other = tracer.startSpan('linked target', { kind: SpanKind.PRODUCER });
      other.end();
      const root = tracer.startSpan('GET /orders/:id', {
        kind: SpanKind.SERVER,
        attributes: {
          'http.route': '/orders/:id',
          'http.status_code': 500,
          ratio: 0.25,
          cached: false,
          tags: ['a', 'b'],
          codes: [1, 2, 3],
          '<img src=x onerror=alert(1)>': 'text',
        },
      });
      const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
      const child = tracer.startSpan(
        'SELECT orders',
        {
          kind: SpanKind.CLIENT,
          links: [{ context: other.spanContext(), attributes: { 'link.reason': 'batch' } }],
        },
        rootCtx,
      );
      child.addEvent('retry', { attempt: 2 });
      child.addEvent('exception', { 'exception.message': 'boom', 'exception.type': 'Error' });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      child.end();
      const consumer = tracer.startSpan('consume', { kind: SpanKind.CONSUMER }, rootCtx);
      consumer.setStatus({ code: SpanStatusCode.OK });
      consumer.end();
      root.end();
      await provider.forceFlush();
      const sent = memory.getFinishedSpans();
      await provider.shutdown();

      assert.equal(sent.length, 4);
      const traceId = root.spanContext().traceId;
      const got = await f.api<{
        spans: ApiSpan[];
        resources: { attributes: Record<string, unknown> }[];
      }>(`/api/traces/${traceId}`);
      assert.equal(got.spans.length, 3);
      for (const s of sent.filter((x: ReadableSpan) => x.spanContext().traceId === traceId)) {
        const a = got.spans.find((x) => x.spanId === s.spanContext().spanId);
        assert.ok(a, `span ${s.name} is stored`);
        assert.equal(a.traceId, traceId);
        assert.equal(a.parentSpanId, s.parentSpanContext?.spanId ?? '');
        assert.equal(a.name, s.name);
        assert.equal(a.kind, KIND[s.kind]);
        assert.equal(a.service, service);
        assert.deepEqual(a.scope, { name: 'scope-a', version: '1.2.3' });
        assert.equal(a.startTimeUnixNano, hrToNs(s.startTime));
        assert.equal(a.endTimeUnixNano, hrToNs(s.endTime));
        assert.deepEqual(a.status, { code: s.status.code, message: s.status.message ?? '' });
        assert.deepEqual(a.attributes, s.attributes);
        assert.equal(a.flags & 0xff, s.spanContext().traceFlags);
        assert.deepEqual(
          a.events.map((e) => ({ name: e.name, time: e.timeUnixNano, attributes: e.attributes })),
          s.events.map((e) => ({
            name: e.name,
            time: hrToNs(e.time),
            attributes: e.attributes ?? {},
          })),
        );
        assert.deepEqual(
          a.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })),
          s.links.map((l) => ({
            traceId: l.context.traceId,
            spanId: l.context.spanId,
            attributes: l.attributes ?? {},
          })),
        );
        const resource = got.resources[a.resourceIndex]?.attributes ?? {};
        assert.equal(resource['service.name'], service);
        assert.equal(resource['deploy.slot'], 3);
        assert.equal(resource.region, 'eu');
      }
      const linked = await f.api<{ spans: ApiSpan[] }>(
        `/api/traces/${other.spanContext().traceId}`,
      );
      assert.equal(linked.spans[0]?.kind, 4);
    });

    it(`keeps every metric point type the JS SDK emits over ${t}`, async () => {
      const service = `metrics-${t}`;
      const reader = new PeriodicExportingMetricReader({
        exporter: exporters(t, f).metrics,
        exportIntervalMillis: 3_600_000,
      });
      const provider = new MeterProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        readers: [reader],
        views: [
          {
            instrumentName: 'latency.exp',
            aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
          },
        ],
      });
      const meter = provider.getMeter('meter-a', '0.1.0');
      const counter = meter.createCounter('requests', { valueType: ValueType.INT });
      counter.add(3, { route: '/a' });
      counter.add(2, { route: '/a' });
      counter.add(7, { route: '/b' });
      meter.createUpDownCounter('queue.depth').add(-2.5);
      meter.createGauge('temperature', { unit: 'Cel' }).record(21.5, { room: 'lab' });
      const h = meter.createHistogram('latency', { unit: 'ms', description: 'request latency' });
      for (const v of [3, 30, 300]) h.record(v);
      const e = meter.createHistogram('latency.exp');
      for (const v of [1, 2, 4, 1000]) e.record(v);
      await reader.forceFlush();
      await provider.shutdown();

      type Point = Record<string, unknown> & { attributes: Record<string, unknown> };
      const points = async (name: string) =>
        (await f.api<{ points: Point[] }>(`/api/metrics/points?name=${name}&service=${service}`))
          .points;
      const req = await points('requests');
      const a = req.find((p) => p.attributes.route === '/a');
      const b = req.find((p) => p.attributes.route === '/b');
      assert.equal(a?.type, 'sum');
      assert.equal(a?.value, 5);
      assert.equal(a?.isInt, true);
      assert.equal(a?.isMonotonic, true);
      assert.equal(a?.temporality, 2);
      assert.equal(b?.value, 7);
      assert.deepEqual((a?.scope as { name: string }).name, 'meter-a');
      const depth = (await points('queue.depth'))[0];
      assert.equal(depth?.value, -2.5);
      assert.equal(depth?.isMonotonic, false);
      const temp = (await points('temperature'))[0];
      assert.equal(temp?.type, 'gauge');
      assert.equal(temp?.value, 21.5);
      assert.equal(temp?.unit, 'Cel');
      assert.deepEqual(temp?.attributes, { room: 'lab' });
      const lat = (await points('latency'))[0];
      assert.equal(lat?.type, 'histogram');
      assert.equal(lat?.description, 'request latency');
      assert.equal(lat?.count, 3);
      assert.equal(lat?.sum, 333);
      assert.equal(lat?.min, 3);
      assert.equal(lat?.max, 300);
      const bounds = lat?.explicitBounds as number[];
      const counts = lat?.bucketCounts as number[];
      assert.equal(counts.length, bounds.length + 1);
      assert.equal(
        counts.reduce((x, y) => x + y, 0),
        3,
      );
      assert.equal(counts[bounds.findIndex((x) => x >= 30)], 1);
      const exp = (await points('latency.exp'))[0];
      assert.equal(exp?.type, 'exponentialHistogram');
      assert.equal(exp?.count, 4);
      assert.equal(exp?.sum, 1007);
      assert.equal(exp?.min, 1);
      assert.equal(exp?.max, 1000);
      assert.equal(typeof exp?.scale, 'number');
      const pos = exp?.positive as { offset: number; bucketCounts: number[] };
      assert.equal(
        pos.bucketCounts.reduce((x, y) => x + y, 0),
        4,
      );
      // the series endpoint estimates percentiles from the buckets
      const series = await f.api<{ series: { points: { p50: number; p99: number }[] }[] }>(
        `/api/metrics/series?name=latency&service=${service}`,
      );
      const p = series.series[0]?.points[0];
      assert.ok(p && p.p50 > 0 && p.p99 <= 300, JSON.stringify(p));
    });

    it(`keeps log records with their trace context over ${t}`, async () => {
      const service = `logs-${t}`;
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        processors: [new SimpleLogRecordProcessor({ exporter: exporters(t, f).logs })],
      });
      const tracer = new TracerProvider().getTracer('x');
      const span = tracer.startSpan('op');
      const ctx = trace.setSpan(ROOT_CONTEXT, span);
      const logger = provider.getLogger('logger-a', '2.0.0');
      logger.emit({
        severityNumber: SeverityNumber.ERROR,
        severityText: 'ERROR',
        body: 'payment failed for <b>order</b>',
        attributes: { 'order.id': 42, retry: true },
        context: ctx,
        eventName: 'payment.failed',
      });
      logger.emit({
        severityNumber: SeverityNumber.INFO,
        body: { structured: { nested: [1, 'two'] } },
      });
      await provider.forceFlush();
      await provider.shutdown();
      span.end();

      type Log = Record<string, unknown>;
      const byTrace = await f.api<{ logs: Log[] }>(
        `/api/logs?traceId=${span.spanContext().traceId}`,
      );
      assert.equal(byTrace.logs.length, 1);
      const l = byTrace.logs[0] as Log;
      assert.equal(l.body, 'payment failed for <b>order</b>');
      assert.equal(l.severityNumber, 17);
      assert.equal(l.severityText, 'ERROR');
      assert.equal(l.spanId, span.spanContext().spanId);
      assert.equal(l.flags, 1);
      assert.equal(l.eventName, 'payment.failed');
      assert.deepEqual(l.attributes, { 'order.id': 42, retry: true });
      assert.equal(l.service, service);
      assert.deepEqual(l.scope, { name: 'logger-a', version: '2.0.0' });
      const all = await f.api<{ logs: Log[] }>(`/api/logs?service=${service}`);
      assert.equal(all.logs.length, 2);
      assert.deepEqual(all.logs.find((x) => x.severityNumber === 9)?.body, {
        structured: { nested: [1, 'two'] },
      });
      const text = await f.api<{ logs: Log[] }>(`/api/logs?service=${service}&text=PAYMENT`);
      assert.equal(text.logs.length, 1);
      const sev = await f.api<{ logs: Log[] }>(`/api/logs?service=${service}&severityMin=17`);
      assert.equal(sev.logs.length, 1);
    });
  }
});
