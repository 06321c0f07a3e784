import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Context,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  type IdGenerator,
  InMemorySpanExporter,
  ParentBasedSampler as SdkParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { SightlineTracerProvider } from '../trace/sightline-tracer-provider.js';
import { ParentBasedSampler } from './parent-based-sampler.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

function withParent(parent: Partial<SpanContext>): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE,
    spanId: SPAN,
    traceFlags: TraceFlags.NONE,
    ...parent,
  });
}

describe('parent-based sampler', () => {
  it('decides as the SDK ParentBasedSampler for every kind of parent, and describes itself the same', () => {
    const provider = new SightlineTracerProvider();
    const tracer = provider.getTracer('parent-based');
    const sampledLean = tracer.startSpan('sampled parent');
    const contexts: Array<[string, Context]> = [
      ['no parent', ROOT_CONTEXT],
      ['invalid parent (zero trace id)', withParent({ traceId: '0'.repeat(32) })],
      ['invalid parent (not hex)', withParent({ spanId: 'zzzzzzzzzzzzzzzz' })],
      ['remote sampled', withParent({ isRemote: true, traceFlags: TraceFlags.SAMPLED })],
      ['remote not sampled', withParent({ isRemote: true })],
      ['local sampled', withParent({ traceFlags: TraceFlags.SAMPLED })],
      ['local not sampled', withParent({})],
      ['Sightline span, sampled', trace.setSpan(ROOT_CONTEXT, sampledLean)],
    ];
    const configs = [
      { root: new AlwaysOnSampler() },
      { root: new AlwaysOffSampler() },
      { root: new TraceIdRatioBasedSampler(0.5) },
      {
        root: new AlwaysOffSampler(),
        remoteParentSampled: new AlwaysOffSampler(),
        remoteParentNotSampled: new AlwaysOnSampler(),
        localParentSampled: new AlwaysOffSampler(),
        localParentNotSampled: new AlwaysOnSampler(),
      },
    ];
    // New trace ids, never the parent's (a fresh random id is not).
    const traceIds = ['ffffffffffffffffffffffffffffffff', '00000000000000000000000000000001'];
    for (const config of configs) {
      const ours = new ParentBasedSampler(config);
      const sdk = new SdkParentBasedSampler(config);
      assert.equal(ours.toString(), sdk.toString());
      for (const [what, ctx] of contexts) {
        for (const traceId of traceIds) {
          // As a tracer asks: a child of a valid parent continues its trace, others get a new one.
          const parent = trace.getSpanContext(ctx);
          const asked =
            parent !== undefined && trace.isSpanContextValid(parent) ? parent.traceId : traceId;
          assert.deepEqual(
            ours.shouldSample(ctx, asked, 'op', SpanKind.INTERNAL, {}, []),
            sdk.shouldSample(ctx, asked, 'op', SpanKind.INTERNAL, {}, []),
            `${ours.toString()} with ${what}, trace ${asked}`,
          );
        }
      }
    }
    sampledLean.end();
  });

  it('checks the parent ids of spans whose id generator is not Sightline own', () => {
    // An app's generator can make ids the API calls invalid: such a parent starts no trace.
    const badSpanIds: IdGenerator = {
      generateTraceId: () => TRACE,
      generateSpanId: () => 'not-a-hex-id!!!!',
    };
    const exporter = new InMemorySpanExporter();
    const provider = new SightlineTracerProvider({
      idGenerator: badSpanIds,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('custom-ids');
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
    child.end();
    parent.end();
    const [childSpan] = exporter.getFinishedSpans();
    assert.equal(childSpan?.name, 'child');
    assert.equal(childSpan?.parentSpanContext, undefined, 'an invalid parent is no parent');

    // With Sightline's own generator the child continues the parent's trace, unchecked.
    const own = new SightlineTracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    exporter.reset();
    const ownTracer = own.getTracer('own-ids');
    const root = ownTracer.startSpan('root');
    ownTracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    root.end();
    const [ownChild] = exporter.getFinishedSpans();
    assert.equal(ownChild?.parentSpanContext?.spanId, root.spanContext().spanId);
    assert.equal(ownChild?.spanContext().traceId, root.spanContext().traceId);
  });
});
