import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DiagLogLevel, diag, SpanKind, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  init,
  recordException,
  type SightlineHandle,
  spanBuilder,
  startSpan,
  traced,
  withSpan,
} from '../src/index.js';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';

describe('span helpers, end to end', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });
  beforeEach(() => receiver.reset());

  async function spans(count: number): Promise<ReceivedSpan[]> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.spans.length >= count && receiver.spans, {
      what: `${count} spans`,
    });
  }
  const byName = (list: ReceivedSpan[], name: string): ReceivedSpan => {
    const found = list.find((s) => s.name === name);
    assert.ok(found, `span ${name} among ${list.map((s) => s.name).join(', ')}`);
    return found;
  };

  it('withSpan nests sync and async children and returns their values', async () => {
    const value = await withSpan('outer', { attributes: { step: 'outer' } }, async () => {
      const sync = withSpan('sync child', () => 21);
      const async = await withSpan('async child', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return withSpan('grandchild', () => sync * 2);
      });
      return async;
    });
    assert.equal(value, 42);
    const list = await spans(4);
    const outer = byName(list, 'outer');
    assert.equal(outer.parentSpanId, '');
    assert.equal(outer.attributes.step, 'outer');
    assert.equal(byName(list, 'sync child').parentSpanId, outer.spanId);
    assert.equal(byName(list, 'async child').parentSpanId, outer.spanId);
    assert.equal(byName(list, 'grandchild').parentSpanId, byName(list, 'async child').spanId);
    assert.equal(new Set(list.map((s) => s.traceId)).size, 1);
  });

  it('withSpan records a throw and a rejection, sets ERROR and rethrows the same error', async () => {
    const thrown = new TypeError('bad input');
    assert.throws(
      () =>
        withSpan('throws', () => {
          throw thrown;
        }),
      (error) => error === thrown,
    );
    const rejected = new Error('later');
    await assert.rejects(
      withSpan('rejects', async () => {
        throw rejected;
      }),
      (error) => error === rejected,
    );
    await assert.rejects(
      withSpan('rejects with a string', () => Promise.reject('plain string')),
      (error) => error === 'plain string',
    );
    const list = await spans(3);
    for (const [name, type, message] of [
      ['throws', 'TypeError', 'bad input'],
      ['rejects', 'Error', 'later'],
      ['rejects with a string', 'string', 'plain string'],
    ] as const) {
      const span = byName(list, name);
      assert.equal(span.status.code, 2, name);
      assert.equal(span.status.message, message);
      const event = span.events.find((e) => e.name === 'exception');
      assert.equal(event?.attributes['exception.type'], type);
      assert.equal(event?.attributes['exception.message'], message);
      if (type !== 'string')
        assert.match(String(event?.attributes['exception.stacktrace']), new RegExp(message));
    }
  });

  it('ends a span exactly once even when the callback ends it itself', async () => {
    const warnings: string[] = [];
    const record = (m: string) => warnings.push(m);
    diag.setLogger(
      { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.WARN,
    );
    try {
      withSpan('self-ended', (span) => span.end());
    } finally {
      diag.disable();
    }
    const list = await spans(1);
    assert.equal(list.filter((s) => s.name === 'self-ended').length, 1);
    // The SDK logs "You can only call end() on a span once" for a second end().
    assert.deepEqual(
      warnings.filter((w) => /end\(\) on a span once|ended Span/.test(w)),
      [],
    );
  });

  it('honours kind, links, start time, an explicit parent and root', async () => {
    const producer = trace.getTracer('t').startSpan('producer');
    producer.end();
    const start = Date.now() - 1000;
    withSpan('outer', () => {
      withSpan(
        'consumer',
        {
          kind: SpanKind.CONSUMER,
          links: [{ context: producer.spanContext(), attributes: { n: 1 } }],
          startTime: start,
        },
        () => {},
      );
      withSpan('new root', { root: true }, () => {});
      withSpan('remote child', { parent: producer.spanContext() }, () => {});
    });
    const list = await spans(5);
    const consumer = byName(list, 'consumer');
    assert.equal(consumer.kind, 5); // SPAN_KIND_CONSUMER on the wire
    assert.equal(consumer.parentSpanId, byName(list, 'outer').spanId);
    assert.deepEqual(consumer.links, [
      {
        traceId: producer.spanContext().traceId,
        spanId: producer.spanContext().spanId,
        attributes: { n: 1 },
      },
    ]);
    assert.equal(consumer.startTimeUnixNano, BigInt(start) * 1_000_000n);
    assert.equal(byName(list, 'new root').parentSpanId, '');
    assert.notEqual(byName(list, 'new root').traceId, byName(list, 'outer').traceId);
    assert.equal(byName(list, 'remote child').parentSpanId, producer.spanContext().spanId);
    assert.equal(byName(list, 'remote child').traceId, producer.spanContext().traceId);
  });

  it('traced names spans Class.method for instance and static methods, sync and async', async () => {
    class Checkout {
      @traced()
      total(prices: number[]): number {
        return prices.reduce((a, b) => a + b, 0);
      }
      @traced({ name: 'charge card', kind: SpanKind.CLIENT })
      async charge(amount: number): Promise<string> {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (amount < 0) throw new RangeError('negative amount');
        return `charged ${amount}`;
      }
      @traced()
      static create(): Checkout {
        return new Checkout();
      }
    }
    class ExpressCheckout extends Checkout {}
    const checkout = Checkout.create();
    assert.equal(checkout.total([1, 2, 3]), 6);
    assert.equal(await checkout.charge(5), 'charged 5');
    await assert.rejects(checkout.charge(-1), RangeError);
    new ExpressCheckout().total([1]);
    const list = await spans(5);
    assert.deepEqual(list.map((s) => s.name).sort(), [
      'Checkout.create',
      'Checkout.total',
      'ExpressCheckout.total',
      'charge card',
      'charge card',
    ]);
    const failed = list.filter((s) => s.name === 'charge card' && s.status.code === 2);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.kind, 3); // CLIENT
  });

  it('startSpan with `using` ends the span when the scope exits, also on a throw', async () => {
    function work(fail: boolean): void {
      using span = startSpan(fail ? 'scoped failing' : 'scoped', { attributes: { fail } });
      span.setAttribute('inside', true);
      if (fail) throw new Error('scope failed');
    }
    work(false);
    assert.throws(() => work(true), /scope failed/);
    const list = await spans(2);
    assert.equal(byName(list, 'scoped').attributes.inside, true);
    assert.equal(byName(list, 'scoped failing').attributes.fail, true);
  });

  it('the span builder sets kind, attributes, links, events, parent and start time', async () => {
    const producer = trace.getTracer('t').startSpan('p');
    producer.end();
    const result = spanBuilder('built')
      .kind(SpanKind.PRODUCER)
      .attribute('a', 1)
      .attributes({ b: 'two', c: [1, 2] })
      .link(producer.spanContext(), { why: 'batch' })
      .event('created', { size: 3 })
      .run(() => 'ran');
    assert.equal(result, 'ran');
    const scoped = spanBuilder('built root')
      .root()
      .startTime(Date.now() - 5)
      .startScoped();
    scoped[Symbol.dispose]();
    const manual = spanBuilder('built child').parent(producer.spanContext()).start();
    manual.end();
    const list = await spans(4);
    const built = byName(list, 'built');
    assert.equal(built.kind, 4);
    assert.deepEqual(built.attributes, { a: 1, b: 'two', c: [1, 2] });
    assert.equal(built.links[0]?.spanId, producer.spanContext().spanId);
    assert.deepEqual(built.links[0]?.attributes, { why: 'batch' });
    assert.equal(built.events[0]?.name, 'created');
    assert.equal(byName(list, 'built child').parentSpanId, producer.spanContext().spanId);
    assert.equal(byName(list, 'built root').parentSpanId, '');
  });

  it('recordException marks the active span by default', async () => {
    withSpan('active', () => {
      recordException(new Error('noted'));
    });
    const span = byName(await spans(1), 'active');
    assert.equal(span.status.code, 2);
    assert.equal(span.events[0]?.attributes['exception.message'], 'noted');
  });

  it('misuse never throws: bad names are replaced and non-functions are not called, each reported once', async () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: () => {},
        warn: (m) => warnings.push(m),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
    try {
      for (let i = 0; i < 3; i++) {
        assert.equal(
          withSpan('' as string, () => 1),
          1,
        );
        assert.equal(
          withSpan(42 as unknown as string, () => 2),
          2,
        );
        assert.equal(withSpan('no function', {}, 'nope' as unknown as () => void), undefined);
        startSpan(null as unknown as string)[Symbol.dispose]();
      }
    } finally {
      diag.disable();
    }
    assert.equal(warnings.filter((w) => /withSpan\(\) was given/.test(w)).length, 1);
    assert.equal(warnings.filter((w) => /instead of a function/.test(w)).length, 1);
    assert.equal(warnings.filter((w) => /startSpan\(\) was given/.test(w)).length, 1);
    const list = await spans(9);
    assert.equal(list.filter((s) => s.name === 'unnamed').length, 9);
  });
});

describe('span helpers without an SDK', () => {
  it('run the callback with a non-recording span and return its value', async () => {
    assert.equal(
      withSpan('noop', (span) => span.isRecording()),
      false,
    );
    assert.equal(await withSpan('noop async', async () => 'value'), 'value');
    using scoped = startSpan('noop scoped');
    assert.equal(scoped.isRecording(), false);
  });

  it('rethrows what the callback throws or rejects with', async () => {
    const boom = new Error('boom');
    assert.throws(
      () =>
        withSpan('noop throws', () => {
          throw boom;
        }),
      (error) => error === boom,
    );
    await assert.rejects(
      withSpan('noop rejects', async () => Promise.reject(boom)),
      (error) => error === boom,
    );
  });

  it('records again as soon as an SDK registers after no-op calls', () => {
    withSpan('before any SDK', () => {});
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    assert.equal(trace.setGlobalTracerProvider(provider), true);
    try {
      assert.equal(
        withSpan('after the SDK', (span) => span.isRecording()),
        true,
      );
      assert.deepEqual(
        exporter.getFinishedSpans().map((s) => s.name),
        ['after the SDK'],
      );
    } finally {
      trace.disable();
    }
  });

  it('still passes an explicit remote parent through to the callback', () => {
    const parent = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    };
    assert.equal(
      withSpan('noop child', { parent }, (span) => span.spanContext().traceId),
      parent.traceId,
    );
  });
});
