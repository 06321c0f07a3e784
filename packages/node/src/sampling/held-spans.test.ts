import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { OtlpTraceEncoder } from '../export/otlp-trace-encoder.js';
import { HeldSpans } from './held-spans.js';

function record(build: (provider: TracerProvider) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'held-test' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  build(provider);
  return memory.getFinishedSpans();
}

/** Spans that fit the numbers: every kind and status code, attributes or none, local and remote parents. */
function fittingSpans(): ReadableSpan[] {
  return record((provider) => {
    const tracer = provider.getTracer('scope-a', '1.2.3');
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
      traceState: new TraceState('vendor=x,sightline=keep'),
    });
    const root = tracer.startSpan(
      'GET /orders',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.route': '/orders', 'http.response.status_code': 200 },
        startTime: [1_700_000_000, 999_999_000],
      },
      remote,
    );
    const ctx = trace.setSpan(remote, root);
    for (const kind of [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
      const child = tracer.startSpan(`child ${kind}`, { kind, startTime: [1_700_000_001, 5] }, ctx);
      child.setStatus({ code: kind % 2 === 0 ? SpanStatusCode.OK : SpanStatusCode.ERROR });
      child.end([1_700_000_001, 900]);
    }
    root.end([1_700_000_002, 1_000]);
    const local = tracer.startSpan('local root');
    tracer.startSpan('local child', {}, trace.setSpan(ROOT_CONTEXT, local)).end();
    local.end();
  });
}

const fields = (span: ReadableSpan) => ({
  name: span.name,
  kind: span.kind,
  spanContext: span.spanContext(),
  parentSpanContext: span.parentSpanContext,
  startTime: span.startTime,
  endTime: span.endTime,
  duration: span.duration,
  status: span.status,
  attributes: span.attributes,
  links: span.links,
  events: span.events,
  ended: span.ended,
  resource: span.resource,
  instrumentationScope: span.instrumentationScope,
  droppedAttributesCount: span.droppedAttributesCount,
  droppedEventsCount: span.droppedEventsCount,
  droppedLinksCount: span.droppedLinksCount,
});

function roundTrip(spans: readonly ReadableSpan[]): ReadableSpan[] {
  const held = new HeldSpans();
  held.grow(spans.length);
  for (const [s, span] of spans.entries()) held.put(s, span);
  return spans.map((_, s) => held.take(s));
}

describe('held spans', () => {
  it('gives back spans that read as the originals, and that encode to the same OTLP bytes', () => {
    const spans = fittingSpans();
    const back = roundTrip(spans);
    for (const [i, span] of spans.entries()) {
      assert.notEqual(back[i], span, 'held as numbers, not as the object');
      assert.deepEqual(fields(back[i] as ReadableSpan), fields(span));
      assert.equal(back[i]?.resource, span.resource);
      assert.equal(back[i]?.instrumentationScope, span.instrumentationScope);
    }
    const official = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    assert.deepEqual(new OtlpTraceEncoder().encode(back), official);
  });

  it('holds as it is a span with events, links, a status message or another resource', () => {
    const spans = record((provider) => {
      const tracer = provider.getTracer('scope-b');
      const withEvent = tracer.startSpan('event');
      withEvent.addEvent('cache miss');
      withEvent.end();
      const linked = tracer.startSpan('link', { links: [{ context: withEvent.spanContext() }] });
      linked.end();
      const failed = tracer.startSpan('failed');
      failed.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      failed.end();
      tracer.startSpan('plain').end();
    });
    const other = record((provider) => provider.getTracer('scope-c').startSpan('other').end());
    const all = [...spans, ...other];
    const back = roundTrip(all);
    for (const i of [0, 1, 2, 4]) assert.equal(back[i], all[i], `${all[i]?.name} held as is`);
    assert.notEqual(back[3], all[3]);
    assert.deepEqual(fields(back[3] as ReadableSpan), fields(all[3] as ReadableSpan));
  });

  it('holds as it is a span it cannot read, and forgets what a cleared slot held', () => {
    const odd = { name: 'odd' } as unknown as ReadableSpan;
    const held = new HeldSpans();
    held.grow(2);
    held.put(0, odd);
    assert.equal(held.take(0), odd);
    const [plain] = fittingSpans().slice(-1) as [ReadableSpan];
    held.put(1, odd);
    held.clear(1);
    held.put(1, plain);
    assert.deepEqual(fields(held.take(1)), fields(plain));
  });
});
