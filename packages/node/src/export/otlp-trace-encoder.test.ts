import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { LeanSpan } from '../trace/lean-span.js';
import { SightlineTracerProvider } from '../trace/sightline-tracer-provider.js';
import { OtlpTraceEncoder } from './otlp-trace-encoder.js';

function recorder(resourceAttributes: Record<string, string | number>) {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  return { memory, provider };
}

/** Spans with everything the encoder has a branch for. */
function variedSpans(): ReadableSpan[] {
  const a = recorder({ 'service.name': 'encoder-test', 'deployment.id': 7, 'host.name': 'hôte' });
  const b = recorder({ 'service.name': 'other-service' });
  const tracer = a.provider.getTracer('scope-a', '1.2.3', { schemaUrl: 'https://example.com/s' });
  const other = a.provider.getTracer('scope-b');
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState('vendor=a,other=b'),
  });
  const long = 'x'.repeat(200);
  const veryLong = 'y'.repeat(20_000);
  const root = tracer.startSpan(
    'GET /users/:id',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'server.port': 8080,
        'big.int': 2 ** 40,
        'negative.int': -42,
        'most.negative': -(2 ** 62),
        'a.double': 0.25,
        'not.a.number': Number.NaN,
        'a.bool': false,
        'unicode.value': 'grüße 🌍',
        ключ: 'value with a non-ASCII key',
        'long.value': long,
        'very.long.value': veryLong,
        [`long.key.${long}`]: 1,
        'string.list': ['a', 'b', ''],
        'number.list': [1, 2.5, -3],
        'bool.list': [true, false],
        'empty.list': [],
        'zero.port': 0,
        'max.uint32': 0xffffffff,
      },
    },
    remote,
  );
  const child = other.startSpan(
    'child',
    {
      kind: SpanKind.CLIENT,
      links: [
        { context: root.spanContext(), attributes: { 'link.kind': 'batch' } },
        // A remote context with a trace state, and no attributes.
        { context: trace.getSpanContext(remote) as SpanContext },
      ],
    },
    trace.setSpan(remote, root),
  );
  child.addEvent('retry', { attempt: 2, reason: 'timeout' });
  child.addEvent('no attributes');
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream said no' });
  child.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  tracer.startSpan('internal, no attributes').end();
  // Times only a user can supply: past 2106, fractional seconds, before 1970.
  tracer.startSpan('far future', { startTime: [2 ** 33 + 1, 1] }).end([2 ** 33 + 2, 999_999_999]);
  tracer.startSpan('fractional seconds', { startTime: [1.5, 0] }).end([2.25, 10]);
  tracer.startSpan('before 1970', { startTime: [-1, 0] }).end([0, 5]);
  // The fast conversion's edges: the last second it covers, a carry out of the low word.
  tracer
    .startSpan('last 32-bit second', { startTime: [1, 999_999_999] })
    .end([2 ** 32 - 1, 999_999_999]);
  tracer.startSpan('low word carry', { startTime: [4, 294_967_295] }).end([4, 294_967_296]);
  for (let i = 0; i < 300; i++) {
    other.startSpan(`bulk ${i}`, { attributes: { i, text: `row ${i}` } }).end();
  }
  b.provider.getTracer('scope-c').startSpan('in another resource').end();
  // Interleave resources and scopes: the request groups them in order of first appearance.
  const spans = [...a.memory.getFinishedSpans(), ...b.memory.getFinishedSpans()];
  return [spans[5], ...spans.slice(0, 5), ...spans.slice(6)] as ReadableSpan[];
}

describe('OTLP trace encoder', () => {
  it('writes byte for byte what the official protobuf serializer writes', () => {
    const spans = variedSpans();
    const ours = new OtlpTraceEncoder().encode(spans);
    const official = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    assert.ok(official.length > 30_000, 'the request spans several buffer growths');
    assert.deepEqual(Buffer.from(ours), Buffer.from(official));
  });

  it('writes the same bytes again from reused buffers and cached resources and scopes', () => {
    const spans = variedSpans();
    const official = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
    const encoder = new OtlpTraceEncoder();
    const first = encoder.encode(spans);
    assert.deepEqual(Buffer.from(first), official);
    const copy = Buffer.from(first);
    const second = encoder.encode(spans.slice(0, 10));
    // The first request's buffer was handed over: the second did not write into it.
    assert.notEqual(second.buffer, first.buffer);
    assert.deepEqual(Buffer.from(first), copy);
    encoder.reuse(first.buffer);
    const third = encoder.encode(spans);
    assert.equal(third.buffer, first.buffer, 'a buffer given back is used again');
    assert.deepEqual(Buffer.from(third), official);
  });

  it('starts a new buffer when the last one was transferred away and not given back', () => {
    const spans = variedSpans();
    const encoder = new OtlpTraceEncoder();
    const first = encoder.encode(spans);
    // What the exporter does: the buffer moves to the worker, which keeps it after a failed send.
    structuredClone(first.buffer, { transfer: [first.buffer] });
    assert.equal(first.buffer.byteLength, 0, 'detached');
    const second = encoder.encode(spans);
    assert.deepEqual(
      Buffer.from(second),
      Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
    );
  });

  it('sizes new buffers by the last request, not by the largest ever', () => {
    const encoder = new OtlpTraceEncoder();
    const spans = variedSpans();
    const big = encoder.encode([...spans, ...spans, ...spans, ...spans]); // not given back, as after a failed send
    const small = encoder.encode(spans.slice(0, 1));
    const next = encoder.encode(spans.slice(0, 1));
    assert.ok(big.buffer.byteLength > 64 * 1024, `${big.buffer.byteLength}`);
    assert.ok(small.buffer.byteLength >= big.buffer.byteLength, 'sized by the big one before it');
    assert.equal(next.buffer.byteLength, 64 * 1024, 'then by the small one');
  });

  it('writes the same bytes when attribute values repeat, change back and keep changing', () => {
    const { memory, provider } = recorder({ 'service.name': 'repeats' });
    const tracer = provider.getTracer('scope');
    for (let i = 0; i < 120; i++) {
      const span = tracer.startSpan('GET', {
        attributes: {
          'http.request.method': 'GET', // always the same
          'http.response.status_code': i % 10 === 9 ? 503 : 200, // now and then another
          'url.path': `/items/${i}`, // never the same twice
          flag: i % 2 === 0, // alternating
          'same.as.event': 'shared',
        },
      });
      // The same keys in an event: the copies keep the event's field tag.
      span.addEvent('event', { 'same.as.event': 'shared', 'http.request.method': 'POST' });
      // More keys than the encoder keeps copies of.
      for (let k = 0; k < 3; k++) span.setAttribute(`key.${i * 3 + k}`, 'v');
      span.end();
    }
    const spans = memory.getFinishedSpans();
    const encoder = new OtlpTraceEncoder();
    for (const batch of [spans.slice(0, 7), spans.slice(7, 60), spans.slice(60), spans]) {
      assert.deepEqual(
        Buffer.from(encoder.encode(batch)),
        Buffer.from(ProtobufTraceSerializer.serializeRequest(batch) as Uint8Array),
      );
    }
    // Past the periodic reset of the kept attributes (every 65,536 spans) too.
    const official = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
    for (let i = 0; i < 560; i++) {
      const bytes = encoder.encode(spans);
      if (i % 140 === 139) assert.deepEqual(Buffer.from(bytes), official, `pass ${i}`);
      encoder.reuse(bytes.buffer);
    }
  });

  it("copies Sightline spans' id bytes: the same bytes as decoding their hex, across id pools", () => {
    const memory = new InMemorySpanExporter();
    const provider = new SightlineTracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const tracer = provider.getTracer('ids');
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    // Kept open while about 5 pools of ids are drawn after it: a pool must not be written again.
    const early = tracer.startSpan('early');
    const earlyChild = tracer.startSpan('early child', {}, trace.setSpan(ROOT_CONTEXT, early));
    for (let i = 0; i < 15_000; i++) {
      const root = tracer.startSpan(`root ${i}`);
      if (i % 1000 === 0) {
        const ctx = trace.setSpan(ROOT_CONTEXT, root);
        const child = tracer.startSpan('child', {}, ctx);
        tracer.startSpan('grandchild', {}, trace.setSpan(ctx, child)).end();
        child.end();
        tracer.startSpan('remote child', {}, remote).end();
      }
      root.end();
    }
    earlyChild.end();
    early.end();
    const spans = memory.getFinishedSpans();
    assert.ok(spans.every((span) => span instanceof LeanSpan));
    const known = spans.filter((span) => (span as LeanSpan).traceIdBytes !== undefined);
    assert.equal(known.length, spans.length - 15, 'all but the remote children know their bytes');
    assert.ok(spans.filter((span) => (span as LeanSpan).parentIdBytes !== undefined).length >= 30);
    for (let i = 0; i < spans.length; i += 500) {
      const batch: ReadableSpan[] = [...spans.slice(i, i + 500), ...spans.slice(-2)];
      assert.deepEqual(
        Buffer.from(new OtlpTraceEncoder().encode(batch)),
        Buffer.from(ProtobufTraceSerializer.serializeRequest(batch) as Uint8Array),
        `batch at ${i}`,
      );
    }
  });

  it('encodes an empty batch as an empty request', () => {
    assert.equal(new OtlpTraceEncoder().encode([]).length, 0);
  });
});
