import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Span, SpanKind } from '@opentelemetry/api';
import {
  ManualClock,
  remoteParent,
  seededRandom,
  TraceFactory,
} from '../../test/support/sampling-harness.js';
import { SightlineError } from '../errors.js';
import { withKeepHint } from './keep-hint.js';
import type { TailPolicySpec } from './tail-policy-spec.js';
import {
  createTailSamplingProcessor,
  type TailSamplingOptions,
  type TailSamplingProcessor,
} from './tail-sampling-processor.js';

function setup(
  options: Omit<TailSamplingOptions, 'next' | 'clock' | 'manualTick'>,
  seed = 1,
): { f: TraceFactory; tail: TailSamplingProcessor; clock: ManualClock } {
  const clock = new ManualClock();
  let tail: TailSamplingProcessor | undefined;
  const f = new TraceFactory({
    seed,
    processor: (sink) => {
      tail = createTailSamplingProcessor({ ...options, next: sink, clock, manualTick: true });
      return tail;
    },
  });
  return { f, tail: tail as TailSamplingProcessor, clock };
}

const traceIdOf = (span: Span): string => span.spanContext().traceId;

describe('tail sampling', () => {
  it('keeps every error trace, whole, under heavy load with a saturated rate-limited fallback', () => {
    // 100k traces at 20k traces/s with a 1 s decision wait: five times more traces wait for a
    // decision than the buffer holds, so the oldest are decided early all the time.
    const { f, tail, clock } = setup({
      decisionWaitMillis: 1000,
      maxTraces: 4000,
      maxSpans: 12_000,
      policies: ['error', { type: 'probabilistic', ratio: 0.5, maxPerSecond: 5 }],
    });
    const random = seededRandom(7);
    const errorTraces = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const t = i / 20; // ms: 20 traces per ms
      clock.t = t;
      const root = f.start('GET /orders', t, { kind: SpanKind.SERVER });
      const db = f.start('SELECT orders', t, { parent: root });
      const cache = f.start('GET cache', t, { parent: root });
      const failing = random() < 0.01 ? Math.floor(random() * 3) : -1;
      f.end(db, t + 0.01, failing === 0);
      f.end(cache, t + 0.02, failing === 1);
      f.end(root, t + 0.03, failing === 2);
      if (failing >= 0) errorTraces.set(traceIdOf(root), 3);
      if (i % 1000 === 0) tail.tick();
    }
    clock.advance(2000);
    tail.tick();
    const perTrace = new Map<string, number>();
    for (const s of f.exported) {
      const id = s.spanContext().traceId;
      perTrace.set(id, (perTrace.get(id) ?? 0) + 1);
    }
    assert.ok(errorTraces.size > 900, `${errorTraces.size} error traces`);
    for (const [id, spans] of errorTraces) assert.equal(perTrace.get(id), spans, `trace ${id}`);
    assert.ok(tail.stats.evictions.max_traces > 50_000, 'the buffer overflowed');
    assert.equal(tail.stats.kept.get('error'), errorTraces.size);
    // The fallback is held to its rate: 5/s over 5 s, plus its burst.
    assert.ok((tail.stats.kept.get('probabilistic') ?? 0) <= 5 * 6 + 5);
    assert.ok((tail.stats.rateLimited.get('probabilistic') ?? 0) > 40_000);
  });

  it('keeps an error that ends after its unfinished trace was evicted', () => {
    const { f, tail, clock } = setup({ maxTraces: 10, fallbackRatio: 0, decisionWaitMillis: 100 });
    const roots: Span[] = [];
    for (let i = 0; i < 100; i++) {
      const root = f.start('job', i);
      f.end(f.start('step', i, { parent: root }), i + 1);
      roots.push(root);
    }
    assert.equal(tail.bufferedTraces, 10);
    // The 90 oldest were decided on a part of their trace and dropped provisionally.
    f.end(roots[3] as Span, 200, true);
    f.end(roots[4] as Span, 200);
    clock.advance(1000);
    tail.tick();
    const ids = f.exportedTraceIds();
    assert.ok(ids.has(traceIdOf(roots[3] as Span)));
    assert.ok(!ids.has(traceIdOf(roots[4] as Span)));
  });

  it('honours the latency threshold on the root, per route, and on any span', () => {
    const { f, tail, clock } = setup({
      decisionWaitMillis: 0,
      policies: [
        {
          type: 'latency',
          thresholdMillis: 500,
          overrides: [
            { route: '/reports/*', thresholdMillis: 1500 },
            { operation: 'GET /health', thresholdMillis: 20 },
          ],
        },
        { type: 'latency', name: 'slow-span', scope: 'any', thresholdMillis: 900 },
      ],
    });
    const random = seededRandom(3);
    const expected = new Set<string>();
    const byPolicy = { latency: 0, 'slow-span': 0 };
    for (let i = 0; i < 5000; i++) {
      const t = i * 10;
      clock.t = t;
      const kind = i % 3;
      const name = kind === 0 ? 'GET /orders' : kind === 1 ? 'GET /reports/:id' : 'GET /health';
      const route = kind === 0 ? '/orders' : kind === 1 ? '/reports/:id' : '/health';
      const threshold = kind === 0 ? 500 : kind === 1 ? 1500 : 20;
      const duration = Math.round(random() * 2 * threshold);
      const root = f.start(name, t, { attributes: { 'http.route': route } });
      const childDuration = Math.round(random() * 1000);
      f.end(f.start('work', t, { parent: root }), t + childDuration);
      f.end(root, t + Math.max(duration, childDuration));
      const rootDuration = Math.max(duration, childDuration);
      if (rootDuration > threshold) {
        expected.add(traceIdOf(root));
        byPolicy.latency++;
      } else if (childDuration > 900 || rootDuration > 900) {
        expected.add(traceIdOf(root));
        byPolicy['slow-span']++;
      }
    }
    assert.deepEqual(f.exportedTraceIds(), expected);
    assert.equal(tail.stats.kept.get('latency'), byPolicy.latency);
    assert.equal(tail.stats.kept.get('slow-span') ?? 0, byPolicy['slow-span']);
    assert.ok(byPolicy.latency > 1000 && byPolicy['slow-span'] > 10);
  });

  it('keeps the fallback ratio within ±2% over 100k traces, by trace id', () => {
    const { f, tail, clock } = setup({ decisionWaitMillis: 10, policies: ['probabilistic'] }, 11);
    for (let i = 0; i < 100_000; i++) {
      clock.t = i;
      f.end(f.start('op', i), i);
      if (i % 100 === 0) tail.tick();
    }
    clock.advance(100);
    tail.tick();
    const kept = f.exportedTraceIds().size;
    assert.ok(Math.abs(kept / 100_000 - 0.1) <= 0.002, `kept ${kept}`);
    // A smaller ratio keeps a subset of the same traces: what every service agrees on.
    const lower = setup(
      { decisionWaitMillis: 0, fallbackRatio: 0.05, policies: ['probabilistic'] },
      11,
    );
    for (let i = 0; i < 100_000; i++) lower.f.end(lower.f.start('op', i), i);
    const subset = lower.f.exportedTraceIds();
    const full = f.exportedTraceIds();
    assert.ok([...subset].every((id) => full.has(id)));
    assert.ok(Math.abs(subset.size / 100_000 - 0.05) <= 0.001, `kept ${subset.size}`);
  });

  it('makes late spans follow their trace decision, and forgets decisions past the cache size', () => {
    const { f, tail, clock } = setup({
      decisionWaitMillis: 100,
      fallbackRatio: 0,
      decisionCacheSize: 100,
    });
    const keptRoot = f.start('kept', 0);
    const keptLate = f.start('late child', 0, { parent: keptRoot });
    const droppedRoot = f.start('dropped', 0);
    const droppedLate = f.start('late child', 0, { parent: droppedRoot });
    f.end(f.start('failing child', 0, { parent: keptRoot }), 5, true);
    f.end(keptRoot, 10);
    f.end(droppedRoot, 10);
    clock.t = 50;
    tail.tick();
    assert.equal(f.exported.length, 0, 'nothing is decided before the wait');
    clock.t = 111;
    tail.tick();
    assert.equal(f.exported.length, 2);
    f.end(keptLate, 5000);
    f.end(droppedLate, 5000);
    assert.deepEqual(
      f.exported.map((s) => s.name),
      ['failing child', 'kept', 'late child'],
    );
    assert.equal(tail.stats.lateKept, 1);
    assert.equal(tail.stats.lateDropped, 1);
    // Decisions are bounded: after 1000 newer traces (ten times the capacity), the kept trace's
    // decision has been forgotten.
    for (let i = 0; i < 1000; i++) f.end(f.start('filler', 6000), 6000);
    clock.t = 7000;
    tail.tick();
    const lateAgain = f.start('very late', 0, { parent: keptRoot });
    f.end(lateAgain, 8000);
    assert.equal(tail.bufferedTraces, 1, 'a forgotten trace starts buffering again');
  });

  it('holds every buffer limit under a flood of traces that never end', () => {
    const limits = { maxTraces: 1000, maxSpans: 2500, decisionCacheSize: 5000 };
    const { f, tail } = setup({ ...limits, fallbackRatio: 0 });
    let maxTraces = 0;
    let maxSpans = 0;
    for (let i = 0; i < 100_000; i++) {
      const root = f.start('never ends', i);
      for (let c = 0; c < 3; c++) f.end(f.start('child', i, { parent: root }), i + 1);
      maxTraces = Math.max(maxTraces, tail.bufferedTraces);
      maxSpans = Math.max(maxSpans, tail.bufferedSpans);
    }
    // maxSpans binds first here: 2500 spans / 3 spans per trace.
    assert.ok(maxTraces <= limits.maxTraces && maxTraces >= 800, `${maxTraces} traces`);
    assert.ok(maxSpans <= limits.maxSpans);
    assert.ok(tail.stats.evictions.max_spans > 99_000);
    assert.equal(f.exported.length, 0);
    // Nothing else grows: the internal arrays and the decision memory stay within their bounds.
    const internals = tail as unknown as {
      decisions: { size: number };
      buffer: { capacity: { traces: number; spans: number; index: number } };
    };
    assert.ok(internals.decisions.size <= limits.decisionCacheSize);
    const capacity = internals.buffer.capacity;
    assert.ok(capacity.traces <= limits.maxTraces, `${capacity.traces} trace slots`);
    assert.ok(capacity.spans <= limits.maxSpans + 1, `${capacity.spans} span slots`);
    assert.ok(capacity.index <= 4 * limits.maxTraces, `${capacity.index} index entries`);
  });

  it('decides a long trace in parts of at most maxSpansPerTrace spans', () => {
    const { f, tail, clock } = setup({ maxSpansPerTrace: 100, fallbackRatio: 0 });
    const root = f.start('batch job', 0);
    let maxBuffered = 0;
    for (let i = 0; i < 10_000; i++) {
      f.end(f.start('item', i, { parent: root }), i + 1, i === 5_000);
      maxBuffered = Math.max(maxBuffered, tail.bufferedSpans);
    }
    f.end(root, 20_000);
    clock.t = 30_000;
    tail.tick();
    assert.ok(maxBuffered <= 100);
    assert.equal(tail.stats.evictions.max_spans_per_trace, 1);
    // The first part had no error and was dropped provisionally; the error turned it into a keep.
    const names = f.exported.map((s) => s.name);
    assert.equal(names.length, 10_000 - 5_000 + 1);
    assert.equal(names.at(-1), 'batch job');
  });

  it('composes policies with and/or, in order, crediting the first that keeps', () => {
    const policies: TailPolicySpec[] = [
      {
        type: 'and',
        name: 'vip-slow',
        policies: [
          { type: 'attribute', key: 'tenant', value: 'vip-*' },
          { type: 'latency', thresholdMillis: 100 },
        ],
      },
      {
        type: 'or',
        policies: [
          { type: 'attribute', key: 'debug', value: true },
          { type: 'attribute', key: 'http.request.method', value: 'DELETE' },
        ],
      },
    ];
    const { f, tail } = setup({ decisionWaitMillis: 0, policies });
    const trace = (attributes: Record<string, string | boolean>, duration: number): string => {
      const root = f.start('op', 0, { attributes });
      f.end(root, duration);
      return traceIdOf(root);
    };
    const vipSlow = trace({ tenant: 'vip-acme' }, 150);
    trace({ tenant: 'vip-acme' }, 50);
    trace({ tenant: 'free' }, 150);
    const debug = trace({ debug: true }, 1);
    trace({ debug: 'true' }, 1);
    const del = trace({ 'http.request.method': 'DELETE' }, 1);
    assert.deepEqual(f.exportedTraceIds(), new Set([vipSlow, debug, del]));
    assert.deepEqual(Object.fromEntries(tail.stats.kept), {
      'vip-slow': 1,
      'attribute|attribute': 2,
    });
    assert.equal(tail.stats.dropped, 3);
  });

  it('keeps what upstream kept: our tracestate hint, and optionally the sampled flag', () => {
    const { f } = setup({ decisionWaitMillis: 0, policies: ['upstream'] });
    const hinted = remoteParent('0af7651916cd43dd8448eb211c80319c', {
      traceState: withKeepHint(undefined),
    });
    const plain = remoteParent('1af7651916cd43dd8448eb211c80319c');
    f.end(f.start('server', 0, { parent: hinted, kind: SpanKind.SERVER }), 1);
    f.end(f.start('server', 0, { parent: plain, kind: SpanKind.SERVER }), 1);
    assert.deepEqual(f.exportedTraceIds(), new Set([hinted.traceId]));

    const flag = setup({ decisionWaitMillis: 0, policies: [{ type: 'upstream', use: 'sampled' }] });
    flag.f.end(flag.f.start('server', 0, { parent: plain }), 1);
    assert.deepEqual(flag.f.exportedTraceIds(), new Set([plain.traceId]));
  });

  it('knows at call time when it keeps a trace, for the downstream hint', () => {
    const { f, tail } = setup({
      policies: ['error', { type: 'attribute', key: 'x', maxPerSecond: 1 }],
    });
    const root = f.start('request', 0, { attributes: { x: 1 } });
    assert.equal(tail.keepHint(traceIdOf(root)), false, 'a rate-limited policy promises nothing');
    f.end(f.start('db', 0, { parent: root }), 1, true);
    assert.equal(tail.keepHint(traceIdOf(root)), true, 'an error so far is a certain keep');
  });

  it('decides finished traces on forceFlush and everything on shutdown', async () => {
    const { f, tail } = setup({ decisionWaitMillis: 60_000, policies: ['error'] });
    const done = f.start('done', 0);
    f.end(f.start('failing', 0, { parent: done }), 1, true);
    f.end(done, 2);
    const open = f.start('open', 0);
    f.end(f.start('failing', 0, { parent: open }), 1, true);
    await tail.forceFlush();
    assert.deepEqual(f.exportedTraceIds(), new Set([traceIdOf(done)]));
    await tail.shutdown();
    assert.deepEqual(f.exportedTraceIds(), new Set([traceIdOf(done), traceIdOf(open)]));
  });

  it('does not evict a buffered trace for a late span of a decided trace', () => {
    const { f, tail, clock } = setup({ maxTraces: 2, decisionWaitMillis: 10, fallbackRatio: 0 });
    const decided = f.start('decided', 0);
    const late = f.start('late child', 0, { parent: decided });
    f.end(decided, 1);
    clock.advance(20);
    tail.tick();
    for (const name of ['b', 'c']) f.end(f.start('child', 20, { parent: f.start(name, 20) }), 21);
    assert.equal(tail.bufferedTraces, 2);
    f.end(late, 30);
    assert.equal(tail.stats.lateDropped, 1);
    assert.equal(tail.bufferedTraces, 2);
    assert.equal(tail.stats.evictions.max_traces, 0);
  });

  it('lets go of the SDK end-of-span metrics callback of the spans it buffers as they are', () => {
    // The official span keeps `_recordEndMetrics` (a closure and its attributes) after end();
    // a span buffered as it is (here: an error with a message) lives long enough for the GC to
    // copy it, so the sampler drops the reference. The root is buffered as numbers, not as itself.
    const { f, tail, clock } = setup({ decisionWaitMillis: 100, policies: ['error'] });
    const root = f.start('request', 0);
    const child = f.start('db', 0, { parent: root });
    const callback = (s: Span) =>
      (s as unknown as { _recordEndMetrics?: unknown })._recordEndMetrics;
    assert.equal(typeof callback(child), 'function', 'the SDK still has the field this relies on');
    f.end(child, 1, true);
    f.end(root, 2);
    assert.equal(callback(child), undefined);
    clock.advance(200);
    tail.tick();
    assert.deepEqual(
      f.exported.map((s) => s.name),
      ['db', 'request'],
    );
  });

  it('rejects more policies that look at spans than a trace has fact bits', () => {
    const next = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
    const many = Array.from({ length: 32 }, (_, i) => ({
      type: 'attribute' as const,
      key: `k${i}`,
    }));
    assert.throws(
      () => createTailSamplingProcessor({ next, manualTick: true, policies: many }),
      /expected at most 31 error, latency, attribute and upstream policies in all .*got 32/,
    );
    // Probabilistic policies need no fact bit: 31 attribute policies and a fallback are fine.
    const fine = [...many.slice(1), 'probabilistic' as const];
    const tail = createTailSamplingProcessor({ next, manualTick: true, policies: fine });
    assert.equal(tail.bufferedTraces, 0);
  });

  it('rejects invalid options naming the option', () => {
    const next = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
    const cases: Array<[Partial<TailSamplingOptions>, RegExp]> = [
      [{ fallbackRatio: 1.5 }, /"fallbackRatio" has invalid value 1\.5/],
      [{ maxTraces: 0 }, /"maxTraces"/],
      [
        { policies: ['error', 'slowness' as 'error'] },
        /"policies".*\[1\]: unknown policy name "slowness"/,
      ],
      [
        { policies: [{ type: 'probabilistic', ratio: -0.1 }] },
        /\[0\]\.ratio: expected a number from 0 to 1/,
      ],
      [
        { policies: [{ type: 'or', policies: [{ type: 'nope' } as never] }] },
        /\[0\]\.policies\[0\]\.type/,
      ],
    ];
    for (const [options, message] of cases)
      assert.throws(
        () => createTailSamplingProcessor({ next, manualTick: true, ...options }),
        (e: unknown) => e instanceof SightlineError && message.test(e.message),
      );
  });
});
