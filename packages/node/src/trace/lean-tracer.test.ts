import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  createTraceState,
  type HrTime,
  INVALID_SPAN_CONTEXT,
  isValidSpanId,
  isValidTraceId,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { hrTimeDuration, hrTimeToNanoseconds, suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  type Span as SdkSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
  type TracerProviderOptions,
} from '@opentelemetry/sdk-trace';
import { PooledIdGenerator } from './random-id-generator.js';
import { SightlineTracerProvider } from './sightline-tracer-provider.js';

const RESOURCE = resourceFromAttributes({ 'service.name': 'lean-tracer-test' });
const REMOTE: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('vendor=abc,other=1'),
};
const LINKED_A: SpanContext = {
  traceId: '11111111111111111111111111111111',
  spanId: '2222222222222222',
  traceFlags: TraceFlags.SAMPLED,
};
const LINKED_B: SpanContext = {
  traceId: '33333333333333333333333333333333',
  spanId: '4444444444444444',
  traceFlags: TraceFlags.NONE,
};

/** Records the processor calls a provider makes, in order. */
class CallRecorder implements SpanProcessor {
  readonly calls: string[] = [];
  onStart(span: SdkSpan, parentContext: Context): void {
    this.calls.push(`start ${span.name} parent=${trace.getSpan(parentContext) !== undefined}`);
  }
  onEnding(span: SdkSpan): void {
    this.calls.push(`ending ${span.name} ended=${span.ended} recording=${span.isRecording()}`);
  }
  onEnd(span: ReadableSpan): void {
    this.calls.push(`end ${span.name} ended=${span.ended}`);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A sampler returning a fixed result and recording what it was shown. */
class RecordingSampler implements Sampler {
  readonly seen: unknown[] = [];
  constructor(private readonly result: SamplingResult) {}
  shouldSample(
    ctx: Context,
    _traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    this.seen.push({
      name,
      kind,
      parent: trace.getSpan(ctx) !== undefined,
      attributes: { ...attributes },
      links: links.map((link) => ({ ...link, attributes: { ...link.attributes } })),
    });
    return this.result;
  }
  toString(): string {
    return 'RecordingSampler';
  }
}

/** Ids replaced by the order they are first seen in, so two runs' trees can be compared. */
function labeller(): (id: string) => string {
  const labels = new Map<string, string>();
  return (id) => {
    let label = labels.get(id);
    if (label === undefined) {
      label = `#${labels.size}`;
      labels.set(id, label);
    }
    return label;
  };
}

function projectSpan(span: ReadableSpan, label: (id: string) => string) {
  const sc = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    name: span.name,
    kind: span.kind,
    traceId: label(sc.traceId),
    spanId: label(sc.spanId),
    traceFlags: sc.traceFlags,
    traceState: sc.traceState?.serialize(),
    parent:
      parent === undefined
        ? undefined
        : {
            traceId: label(parent.traceId),
            spanId: label(parent.spanId),
            isRemote: parent.isRemote,
          },
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      name: event.name,
      attributes: event.attributes,
      droppedAttributesCount: event.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      context: link.context,
      attributes: link.attributes,
      droppedAttributesCount: link.droppedAttributesCount,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: span.status,
    instrumentationScope: span.instrumentationScope,
    resource: span.resource.attributes,
    ended: span.ended,
  };
}

function projectReturned(span: Span, label: (id: string) => string) {
  const sc = span.spanContext();
  return {
    recording: span.isRecording(),
    traceId: label(sc.traceId),
    spanId: label(sc.spanId),
    validIds: isValidTraceId(sc.traceId) && isValidSpanId(sc.spanId),
    traceFlags: sc.traceFlags,
    traceState: sc.traceState?.serialize(),
  };
}

type Scenario = (tracer: Tracer) => Span[] | undefined | Promise<Span[] | undefined>;

interface Run {
  /** The exported spans, projected. */
  exported: unknown[];
  /** The spans the scenario returned, projected (ids labelled after the exported ones). */
  returned: unknown[];
  calls: string[];
  spans: ReadableSpan[];
  sampler: RecordingSampler | undefined;
}

async function runOn(
  Provider: typeof TracerProvider,
  options: () => Omit<TracerProviderOptions, 'spanProcessors' | 'resource'>,
  scenario: Scenario,
): Promise<Run> {
  const exporter = new InMemorySpanExporter();
  const recorder = new CallRecorder();
  const opts = options();
  const provider = new Provider({
    ...opts,
    resource: RESOURCE,
    spanProcessors: [recorder, new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('equivalence', '1.2.3', { schemaUrl: 'https://schema/1' });
  const returned = (await scenario(tracer)) ?? [];
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  const label = labeller();
  return {
    exported: spans.map((span) => projectSpan(span, label)),
    returned: returned.map((span) => projectReturned(span, label)),
    calls: recorder.calls,
    spans,
    sampler: opts.sampler instanceof RecordingSampler ? opts.sampler : undefined,
  };
}

/** Runs `scenario` on the SDK's provider and on Sightline's and asserts the same outcome. */
async function assertSameAsSdk(
  scenario: Scenario,
  options: () => Omit<TracerProviderOptions, 'spanProcessors' | 'resource'> = () => ({}),
): Promise<{ sdk: Run; lean: Run }> {
  const sdk = await runOn(TracerProvider, options, scenario);
  const lean = await runOn(SightlineTracerProvider, options, scenario);
  assert.deepEqual(lean.exported, sdk.exported);
  assert.deepEqual(lean.returned, sdk.returned);
  assert.deepEqual(lean.calls, sdk.calls);
  assert.deepEqual(lean.sampler?.seen, sdk.sampler?.seen);
  return { sdk, lean };
}

function only(run: Run): ReadableSpan {
  assert.equal(run.spans.length, 1);
  return run.spans[0] as ReadableSpan;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const INVALID_AND_ODD_VALUES = {
  instance: new Point(1, 2),
  date: new Date(0),
  regexp: /x/,
  map: new Map([['a', 1]]),
  fn: () => 1,
  undef: undefined,
  '': 'empty key',
  nested: { a: 1, b: { c: 'd', e: [1, 'two', null] }, skip: undefined },
  nestedBad: { a: new Point(0, 0) },
  strings: ['a', 'b'],
  numbers: [1, 2.5],
  mixed: [1, 'a', true, null],
  withUndefined: ['a', undefined, 'b'],
  arrayOfInstance: [new Point(3, 4)],
  bytes: new Uint8Array([1, 2, 3]),
  nil: null,
  big: 10n,
  sym: Symbol('s'),
  ok: 'yes',
  n: 0,
  b: false,
} as unknown as Attributes;

describe('lean tracer: same spans as the SDK tracer', () => {
  const manager = new AsyncLocalStorageContextManager();
  before(() => {
    context.setGlobalContextManager(manager.enable());
  });
  after(() => {
    context.disable();
  });

  describe('attributes', () => {
    it('drops invalid values given at start the way the SDK does', async () => {
      const { sdk } = await assertSameAsSdk((tracer) => {
        tracer.startSpan('start', { attributes: INVALID_AND_ODD_VALUES }).end();
        return undefined;
      });
      assert.ok(only(sdk).droppedAttributesCount > 0);
    });

    it('drops invalid values given to setAttribute the way the SDK does', async () => {
      const { sdk } = await assertSameAsSdk((tracer) => {
        const span = tracer.startSpan('set');
        for (const [key, value] of Object.entries(INVALID_AND_ODD_VALUES)) {
          span.setAttribute(key, value as never);
        }
        span.end();
        return undefined;
      });
      assert.ok(only(sdk).droppedAttributesCount === 0);
      assert.ok(!('fn' in only(sdk).attributes));
    });

    it('drops invalid values given to setAttributes the way the SDK does', async () => {
      await assertSameAsSdk((tracer) => {
        tracer.startSpan('set-many').setAttributes(INVALID_AND_ODD_VALUES).end();
        return undefined;
      });
    });

    it('lets setAttribute overwrite start attributes and keeps insertion order', async () => {
      const { sdk } = await assertSameAsSdk((tracer) => {
        const span = tracer.startSpan('mix', { attributes: { a: 1, b: 'two', 7: 'seven' } });
        span.setAttribute('b', 'replaced');
        span.setAttributes({ c: true, a: 2, 3: 'three' });
        span.setAttribute('d', ['x', 'y']);
        span.end();
        return undefined;
      });
      assert.deepEqual(Object.keys(only(sdk).attributes), ['3', '7', 'a', 'b', 'c', 'd']);
    });

    it('applies attributeCountLimit to start attributes, then to later ones', async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          const attributes: Attributes = {};
          for (let i = 0; i < 6; i++) attributes[`k${i}`] = i;
          attributes.bad = (() => 1) as never;
          const span = tracer.startSpan('limited', { attributes });
          span.setAttribute('k0', 'overwrite is allowed at the limit');
          span.setAttribute('new', 1);
          span.setAttributes({ k1: 'again', other: 2, bad2: {} as never });
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { attributeCountLimit: 4 } }),
      );
      assert.equal(Object.keys(only(sdk).attributes).length, 4);
      assert.ok(only(sdk).droppedAttributesCount >= 3);
    });

    it('applies attributeCountLimit 0', async () => {
      await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('none', { attributes: { a: 1, b: 2 } });
          span.setAttribute('c', 3);
          span.setAttribute('', 3);
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { attributeCountLimit: 0 } }),
      );
    });

    it('truncates strings, string arrays and nested strings to attributeValueLengthLimit', async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('long', {
            attributes: {
              s: 'abcdefghij',
              short: 'abc',
              arr: ['abcdefgh', 'ab', 'abcdef'],
              nested: { deep: 'abcdefghij', list: ['abcdefghij'] } as never,
              bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7]) as never,
              n: 123456789,
            },
          });
          span.setAttribute('later', 'zyxwvutsrq');
          span.setAttribute('laterArr', ['zyxwvutsrq', 'zy']);
          span.setAttributes({ more: 'mnopqrstuv', exact: 'abcd' });
          span.addEvent('e', { s: 'abcdefghij', a: ['abcdefghij'] });
          span.addLink({ context: LINKED_A, attributes: { s: 'abcdefghij' } });
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { attributeValueLengthLimit: 4 } }),
      );
      assert.equal(only(sdk).attributes.s, 'abcd');
    });

    it('ignores a non-positive attributeValueLengthLimit, as the SDK does', async () => {
      for (const limit of [0, -1]) {
        await assertSameAsSdk(
          (tracer) => {
            const span = tracer.startSpan('x', { attributes: { s: 'abcdefghij' } });
            span.setAttribute('t', 'abcdefghij');
            span.end();
            return undefined;
          },
          () => ({ spanLimits: { attributeValueLengthLimit: limit } }),
        );
      }
    });
  });

  describe('events', () => {
    it('keeps the last eventCountLimit events and counts the dropped ones', async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('events');
          for (let i = 0; i < 7; i++) span.addEvent(`e${i}`, { i });
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { eventCountLimit: 3 } }),
      );
      assert.deepEqual(
        only(sdk).events.map((e) => e.name),
        ['e4', 'e5', 'e6'],
      );
    });

    it('drops every event with eventCountLimit 0', async () => {
      await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('no-events');
          span.addEvent('a');
          span.recordException(new Error('x'));
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { eventCountLimit: 0 } }),
      );
    });

    it('limits attributes per event and keeps simple values only', async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('event-attrs');
          span.addEvent('many', { a: 1, b: 2, c: 3, d: 4 });
          span.addEvent('odd', INVALID_AND_ODD_VALUES);
          span.addEvent('time-only', [1700000000, 5]);
          span.addEvent('time-as-date', new Date(1700000000000));
          span.addEvent('attrs-and-time', { x: 'y' }, 1700000000000);
          span.addEvent('none');
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { attributePerEventCountLimit: 3 } }),
      );
      assert.equal(only(sdk).events[0]?.droppedAttributesCount, 1);
    });
  });

  describe('links', () => {
    it('keeps the last linkCountLimit links given at start', async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          const links: Link[] = [];
          for (let i = 0; i < 5; i++) {
            links.push({ context: i % 2 ? LINKED_A : LINKED_B, attributes: { i } });
          }
          tracer.startSpan('links', { links }).end();
          return undefined;
        },
        () => ({ spanLimits: { linkCountLimit: 2 } }),
      );
      assert.equal(only(sdk).droppedLinksCount, 3);
    });

    it('keeps the last links added with addLink and addLinks', async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('links', { links: [{ context: LINKED_A }] });
          span.addLink({ context: LINKED_B, attributes: { n: 1 } });
          span.addLinks([
            { context: LINKED_A, attributes: { n: 2 } },
            { context: LINKED_B, attributes: { n: 3 } },
          ]);
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { linkCountLimit: 2 } }),
      );
      assert.equal(only(sdk).droppedLinksCount, 2);
    });

    it('drops every link with linkCountLimit 0', async () => {
      await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('no-links', { links: [{ context: LINKED_A }] });
          span.addLink({ context: LINKED_B });
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { linkCountLimit: 0 } }),
      );
    });

    it('cleans link attributes under attributePerLinkCountLimit', async () => {
      await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('link-attrs', {
            links: [{ context: LINKED_A, attributes: INVALID_AND_ODD_VALUES }],
          });
          span.addLink({ context: LINKED_B, attributes: { a: 1, b: 2, c: 3 } });
          span.end();
          return undefined;
        },
        () => ({ spanLimits: { attributePerLinkCountLimit: 2 } }),
      );
    });
  });

  describe('status, exceptions, name and end', () => {
    it('follows the SDK through setStatus sequences', async () => {
      await assertSameAsSdk((tracer) => {
        const unset = tracer.startSpan('unset');
        unset.setStatus({ code: SpanStatusCode.UNSET, message: 'ignored' });
        unset.end();
        const error = tracer.startSpan('error');
        error.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
        error.setStatus({ code: SpanStatusCode.UNSET });
        error.end();
        const badMessage = tracer.startSpan('error-bad-message');
        badMessage.setStatus({ code: SpanStatusCode.ERROR, message: 42 as never });
        badMessage.end();
        const okMessage = tracer.startSpan('ok-with-message');
        okMessage.setStatus({ code: SpanStatusCode.OK, message: 'dropped for OK' });
        okMessage.end();
        const okThenError = tracer.startSpan('ok-then-error');
        okThenError.setStatus({ code: SpanStatusCode.OK });
        okThenError.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
        okThenError.end();
        const errorThenOk = tracer.startSpan('error-then-ok');
        errorThenOk.setStatus({ code: SpanStatusCode.ERROR, message: 'first' });
        errorThenOk.setStatus({ code: SpanStatusCode.OK });
        errorThenOk.end();
        return undefined;
      });
    });

    it('records exceptions from an Error, a string, an object with code, and nothing', async () => {
      const error = new TypeError('bad input');
      const timed = new Error('at a time');
      const { sdk } = await assertSameAsSdk((tracer) => {
        const span = tracer.startSpan('exceptions');
        span.recordException(error);
        span.recordException('just a message');
        span.recordException({ code: 'ECONNRESET', message: 'socket hang up' });
        span.recordException({ code: 42, name: 'Ignored' });
        span.recordException({ name: 'NamedOnly' });
        span.recordException({} as never);
        span.recordException({ stack: 'only a stack' } as never);
        span.recordException(timed, [1700000000, 0]);
        span.end();
        return undefined;
      });
      assert.equal(only(sdk).events.length, 6);
    });

    it('updates the name', async () => {
      await assertSameAsSdk((tracer) => {
        const span = tracer.startSpan('before');
        span.updateName('after');
        span.end();
        return undefined;
      });
    });

    it('ignores every operation after end, and a second end', async () => {
      const { sdk, lean } = await assertSameAsSdk(
        async (tracer) => {
          const span = tracer.startSpan('ended', {
            attributes: { a: 1 },
            startTime: [1699999999, 0],
          });
          span.end([1700000000, 500]);
          span.setAttribute('b', 2);
          span.setAttributes({ c: 3 });
          span.addEvent('late');
          span.addLink({ context: LINKED_A });
          span.addLinks([{ context: LINKED_B }]);
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'late' });
          span.updateName('renamed');
          span.recordException(new Error('late'));
          await sleep(2);
          span.end([1700000001, 0]);
          return [span];
        },
        () => ({ spanLimits: { eventCountLimit: 1 } }),
      );
      assert.deepEqual(only(lean).endTime, [1700000000, 500]);
      assert.deepEqual(only(sdk).endTime, [1700000000, 500]);
      assert.equal(lean.calls.filter((call) => call.startsWith('end ')).length, 1);
    });

    it('starts spans of every kind', async () => {
      await assertSameAsSdk((tracer) => {
        for (const kind of [
          SpanKind.INTERNAL,
          SpanKind.SERVER,
          SpanKind.CLIENT,
          SpanKind.PRODUCER,
          SpanKind.CONSUMER,
        ]) {
          tracer.startSpan(`kind-${kind}`, { kind }).end();
        }
        return undefined;
      });
    });
  });

  describe('sampling and parents', () => {
    it('returns a non-recording span with the same flags under AlwaysOffSampler', async () => {
      const { lean } = await assertSameAsSdk(
        (tracer) => {
          const off = tracer.startSpan('off', { attributes: { a: 1 } });
          off.setAttribute('b', 2);
          off.end();
          const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, off));
          child.end();
          return [off, child];
        },
        () => ({ sampler: new AlwaysOffSampler() }),
      );
      assert.equal(lean.spans.length, 0);
      assert.deepEqual(
        lean.returned.map((r) => (r as { recording: boolean }).recording),
        [false, false],
      );
    });

    it('records but does not export a span the sampler marks RECORD', async () => {
      const { lean } = await assertSameAsSdk(
        (tracer) => {
          const span = tracer.startSpan('record-only');
          span.setAttribute('a', 1);
          span.end();
          return [span];
        },
        () => ({ sampler: new RecordingSampler({ decision: SamplingDecision.RECORD }) }),
      );
      assert.equal(lean.spans.length, 0);
      assert.ok(lean.calls.includes('end record-only ended=true'));
    });

    it("adds the sampler's attributes and trace state, under the limits", async () => {
      const { sdk } = await assertSameAsSdk(
        (tracer) => {
          tracer
            .startSpan('sampled', {
              attributes: { own: 'o', shared: 'from options', bad: (() => 1) as never },
              links: [{ context: LINKED_A, attributes: { l: 1, bad: {} as never } }],
              kind: SpanKind.SERVER,
            })
            .end();
          tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(REMOTE)));
          return undefined;
        },
        () => ({
          sampler: new RecordingSampler({
            decision: SamplingDecision.RECORD_AND_SAMPLED,
            attributes: { 'sampler.rate': 0.5, shared: 'from sampler', extra1: 1, extra2: 2 },
            traceState: createTraceState('sampler=yes'),
          }),
          spanLimits: { attributeCountLimit: 4 },
        }),
      );
      assert.equal(only(sdk).spanContext().traceState?.get('sampler'), 'yes');
    });

    const samplerCases: Array<[string, Attributes, Attributes]> = [
      [
        'counts a new invalid sampler attribute as dropped',
        { fresh: new Point(1, 1) as never },
        { keep: 'k' },
      ],
      [
        'drops a start attribute the sampler replaces with an invalid value',
        { replaced: (() => 1) as never },
        { keep: 'k' },
      ],
      [
        'removes a start attribute the sampler sets to undefined',
        { unset: undefined },
        { keep: 'k' },
      ],
    ];
    for (const [title, fromSampler, expected] of samplerCases) {
      it(`${title}, as the SDK does`, async () => {
        const { sdk } = await assertSameAsSdk(
          (tracer) => {
            tracer
              .startSpan('sampled', { attributes: { keep: 'k', replaced: 'r', unset: 'u' } })
              .end();
            return undefined;
          },
          () => ({
            sampler: new RecordingSampler({
              decision: SamplingDecision.RECORD_AND_SAMPLED,
              attributes: fromSampler,
            }),
          }),
        );
        for (const [key, value] of Object.entries(expected)) {
          assert.equal(only(sdk).attributes[key], value);
        }
      });
    }

    it('starts nothing under suppressed tracing', async () => {
      const { lean } = await assertSameAsSdk((tracer) => {
        const explicit = tracer.startSpan('explicit', {}, suppressTracing(ROOT_CONTEXT));
        explicit.end();
        const active = context.with(suppressTracing(context.active()), () => {
          const span = tracer.startSpan('active');
          span.end();
          return span;
        });
        const activeSpan = context.with(suppressTracing(context.active()), () =>
          tracer.startActiveSpan('active-span', (span) => {
            span.end();
            return span;
          }),
        );
        return [explicit, active, activeSpan];
      });
      assert.equal(lean.spans.length, 0);
      assert.equal(lean.calls.length, 0);
    });

    it('starts a new trace with root: true despite a parent in context', async () => {
      const { lean } = await assertSameAsSdk((tracer) => {
        const parent = tracer.startSpan('parent');
        const root = tracer.startSpan('root', { root: true }, trace.setSpan(ROOT_CONTEXT, parent));
        root.end();
        parent.end();
        const remoteRoot = tracer.startSpan(
          'remote-root',
          { root: true },
          trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(REMOTE)),
        );
        remoteRoot.end();
        return undefined;
      });
      assert.ok(lean.spans.every((span) => span.parentSpanContext === undefined));
    });

    it('takes the parent from context: its trace id, span id and trace state', async () => {
      const { lean } = await assertSameAsSdk((tracer) => {
        const parent = tracer.startSpan('parent');
        const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
        const grandchild = context.with(trace.setSpan(context.active(), child), () =>
          tracer.startSpan('grandchild'),
        );
        grandchild.end();
        child.end();
        parent.end();
        return undefined;
      });
      const [grandchild, child, parent] = lean.spans as [ReadableSpan, ReadableSpan, ReadableSpan];
      assert.deepEqual(child.parentSpanContext, parent.spanContext());
      assert.deepEqual(grandchild.parentSpanContext, child.spanContext());
    });

    it('continues a remote parent, sampled or not', async () => {
      const { lean } = await assertSameAsSdk((tracer) => {
        const sampled = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(REMOTE));
        tracer.startSpan('from-remote', { kind: SpanKind.SERVER }, sampled).end();
        const unsampled = trace.setSpan(
          ROOT_CONTEXT,
          trace.wrapSpanContext({ ...REMOTE, traceFlags: TraceFlags.NONE }),
        );
        const dropped = tracer.startSpan('from-unsampled-remote', {}, unsampled);
        dropped.end();
        return [dropped];
      });
      const span = only(lean);
      assert.equal(span.parentSpanContext?.traceId, REMOTE.traceId);
      assert.equal(span.parentSpanContext?.spanId, REMOTE.spanId);
      assert.equal(span.parentSpanContext?.isRemote, true);
      assert.equal(span.spanContext().traceState?.serialize(), 'vendor=abc,other=1');
    });

    it('ignores an invalid parent span context', async () => {
      const { lean } = await assertSameAsSdk((tracer) => {
        const invalid = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
        tracer.startSpan('orphan', {}, invalid).end();
        return undefined;
      });
      assert.equal(only(lean).parentSpanContext, undefined);
    });
  });

  describe('startActiveSpan', () => {
    const key = createContextKey('lean-tracer-test');

    it('makes the span active in each of its three forms and returns the result', async () => {
      const { lean } = await assertSameAsSdk((tracer) => {
        const results: string[] = [];
        results.push(
          tracer.startActiveSpan('form1', (span) => {
            assert.equal(trace.getActiveSpan(), span);
            tracer.startSpan('child1').end();
            span.end();
            return 'one';
          }),
        );
        results.push(
          tracer.startActiveSpan(
            'form2',
            { kind: SpanKind.CLIENT, attributes: { a: 1 } },
            (span) => {
              assert.equal(trace.getActiveSpan(), span);
              tracer.startSpan('child2').end();
              span.end();
              return 'two';
            },
          ),
        );
        const parent = tracer.startSpan('explicit-parent');
        const ctx = trace.setSpan(ROOT_CONTEXT.setValue(key, 'kept'), parent);
        results.push(
          tracer.startActiveSpan('form3', { attributes: { b: 2 } }, ctx, (span) => {
            assert.equal(trace.getActiveSpan(), span);
            assert.equal(context.active().getValue(key), 'kept');
            tracer.startSpan('child3').end();
            span.end();
            return 'three';
          }),
        );
        parent.end();
        assert.deepEqual(results, ['one', 'two', 'three']);
        assert.equal(trace.getActiveSpan(), undefined);
        return undefined;
      });
      assert.equal(lean.spans.length, 7);
    });

    it('nests under the active span and keeps the active context across await', async () => {
      await assertSameAsSdk(async (tracer) => {
        await context.with(ROOT_CONTEXT.setValue(key, 'outer'), () =>
          tracer.startActiveSpan('outer', async (outer) => {
            await sleep(1);
            assert.equal(context.active().getValue(key), 'outer');
            await tracer.startActiveSpan('inner', async (inner) => {
              await sleep(1);
              assert.equal(trace.getActiveSpan(), inner);
              inner.end();
            });
            assert.equal(trace.getActiveSpan(), outer);
            outer.end();
          }),
        );
        return undefined;
      });
    });

    it('returns undefined without a callback, as the SDK does', () => {
      const lean = new SightlineTracerProvider().getTracer('t');
      const sdk = new TracerProvider().getTracer('t');
      const call = (tracer: Tracer) =>
        (tracer.startActiveSpan as (name: string) => unknown).call(tracer, 'nothing');
      assert.equal(call(lean), call(sdk));
    });
  });
});

function millis(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

describe('lean span times', () => {
  function pair() {
    const sdk = new TracerProvider().getTracer('t');
    const lean = new SightlineTracerProvider().getTracer('t');
    return { sdk, lean };
  }

  it('starts near Date.now() and ends after the start, with duration = end - start', async () => {
    const { lean } = pair();
    const before = Date.now();
    const span = lean.startSpan('timed') as unknown as ReadableSpan & Span;
    const after = Date.now();
    assert.ok(millis(span.startTime) >= before - 3, `${millis(span.startTime)} < ${before}`);
    assert.ok(millis(span.startTime) <= after + 3, `${millis(span.startTime)} > ${after}`);
    await sleep(20);
    span.end();
    assert.ok(hrTimeToNanoseconds(span.endTime) >= hrTimeToNanoseconds(span.startTime));
    assert.deepEqual(span.duration, hrTimeDuration(span.startTime, span.endTime));
    assert.ok(millis(span.duration) >= 19, `duration ${millis(span.duration)}ms`);
    assert.ok(Math.abs(millis(span.endTime) - Date.now()) <= 3);
  });

  it('times an event without a time between start and end', async () => {
    const { lean } = pair();
    const span = lean.startSpan('timed') as unknown as ReadableSpan & Span;
    await sleep(5);
    span.addEvent('mid');
    await sleep(5);
    span.end();
    const event = hrTimeToNanoseconds(span.events[0]?.time ?? [0, 0]);
    assert.ok(event > hrTimeToNanoseconds(span.startTime));
    assert.ok(event < hrTimeToNanoseconds(span.endTime));
  });

  const explicit: Array<[string, () => Parameters<Tracer['startSpan']>[1], () => unknown]> = [
    ['Date', () => ({ startTime: new Date(1700000000123) }), () => new Date(1700000001456)],
    ['epoch milliseconds', () => ({ startTime: 1700000000123.456 }), () => 1700000001456.789],
    ['HrTime', () => ({ startTime: [1700000000, 123456789] }), () => [1700000001, 987654321]],
  ];
  for (const [kind, start, end] of explicit) {
    it(`reads an explicit start and end as ${kind} as the SDK does`, () => {
      const { sdk, lean } = pair();
      const spans = [sdk, lean].map((tracer) => {
        const span = tracer.startSpan('explicit', start()) as unknown as ReadableSpan & Span;
        span.addEvent('at', end() as never);
        span.end(end() as never);
        return span;
      });
      const [s, l] = spans as unknown as [ReadableSpan, ReadableSpan];
      assert.deepEqual(l.startTime, s.startTime);
      assert.deepEqual(l.endTime, s.endTime);
      assert.deepEqual(l.duration, s.duration);
      assert.deepEqual(l.events[0]?.time, s.events[0]?.time);
    });
  }

  it('reads a performance.now() start time as the SDK does, to within a millisecond', () => {
    const { sdk, lean } = pair();
    const monotonic = performance.now() - 50;
    const s = sdk.startSpan('m', { startTime: monotonic }) as unknown as ReadableSpan;
    const l = lean.startSpan('m', { startTime: monotonic }) as unknown as ReadableSpan;
    assert.ok(Math.abs(millis(l.startTime) - millis(s.startTime)) <= 1.5);
    assert.ok(Math.abs(millis(l.startTime) - (Date.now() - 50)) <= 3);
  });

  it('gives an end before the start a zero duration and the start as end, as the SDK', () => {
    const { sdk, lean } = pair();
    const [s, l] = [sdk, lean].map((tracer) => {
      const span = tracer.startSpan('backwards', {
        startTime: [1700000001, 0],
      }) as unknown as ReadableSpan & Span;
      span.end([1700000000, 999]);
      return span;
    }) as unknown as [ReadableSpan, ReadableSpan];
    assert.deepEqual(l.duration, [0, 0]);
    assert.deepEqual(l.endTime, l.startTime);
    assert.deepEqual(l.endTime, s.endTime);
    assert.deepEqual(l.duration, s.duration);
    assert.notEqual(l.endTime, l.startTime, 'endTime is a copy, not the start array');
  });

  it('gives an end before an implicit start a zero duration', () => {
    const { lean } = pair();
    const span = lean.startSpan('backwards') as unknown as ReadableSpan & Span;
    span.end(new Date(Date.now() - 60_000));
    assert.deepEqual(span.duration, [0, 0]);
    assert.deepEqual(span.endTime, span.startTime);
  });
});

describe('pooled id generator', () => {
  const TRACE_ID = /^[0-9a-f]{32}$/;
  const SPAN_ID = /^[0-9a-f]{16}$/;

  it('gives valid, distinct lowercase hex ids over 20,000 spans', () => {
    const tracer = new SightlineTracerProvider().getTracer('ids');
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const span = tracer.startSpan('id');
      const { traceId, spanId } = span.spanContext();
      span.end();
      assert.match(traceId, TRACE_ID);
      assert.match(spanId, SPAN_ID);
      assert.ok(isValidTraceId(traceId) && isValidSpanId(spanId));
      traceIds.add(traceId);
      spanIds.add(spanId);
    }
    assert.equal(traceIds.size, 20_000);
    assert.equal(spanIds.size, 20_000);
  });

  it('gives distinct ids when trace and span ids interleave across pool refills', () => {
    const ids = new PooledIdGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = i % 3 === 0 ? ids.generateTraceId() : ids.generateSpanId();
      assert.match(id, i % 3 === 0 ? TRACE_ID : SPAN_ID);
      seen.add(id);
    }
    assert.equal(seen.size, 20_000);
  });
});
