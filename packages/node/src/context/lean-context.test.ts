import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Context,
  createContextKey,
  createTraceState,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  isTracingSuppressed,
  suppressTracing,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { seededRandom } from '../../test/support/sampling-harness.js';
import { LeanContext } from './lean-context.js';

const KEYS = [
  createContextKey('a'),
  createContextKey('b'),
  createContextKey('c'),
  createContextKey('d'),
];

function valuesOf(ctx: Context): unknown[] {
  return KEYS.map((key) => ctx.getValue(key));
}

type Op = { kind: 'set'; key: symbol; value: unknown } | { kind: 'delete'; key: symbol };

function randomOps(seed: number, count: number): Op[] {
  const next = seededRandom(seed);
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const key = KEYS[Math.floor(next() * KEYS.length)] as symbol;
    const roll = next();
    if (roll < 0.35) ops.push({ kind: 'delete', key });
    else if (roll < 0.4) ops.push({ kind: 'set', key, value: undefined });
    else ops.push({ kind: 'set', key, value: { step: i } });
  }
  return ops;
}

function apply(ctx: Context, op: Op): Context {
  return op.kind === 'set' ? ctx.setValue(op.key, op.value) : ctx.deleteValue(op.key);
}

/** Applies `ops` to both contexts, asserting after each step, and checks no step was mutated. */
function assertSameSequence(lean: Context, reference: Context, ops: Op[]): void {
  const history: Array<{ lean: Context; expected: unknown[] }> = [];
  for (const [i, op] of ops.entries()) {
    lean = apply(lean, op);
    reference = apply(reference, op);
    assert.deepEqual(valuesOf(lean), valuesOf(reference), `after op ${i} (${op.kind})`);
    history.push({ lean, expected: valuesOf(reference) });
  }
  for (const [i, step] of history.entries()) {
    assert.deepEqual(valuesOf(step.lean), step.expected, `context of op ${i} changed later`);
  }
}

describe('lean context', () => {
  it('answers getValue like ROOT_CONTEXT over 200 random sets and deletes', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      assertSameSequence(LeanContext.over(ROOT_CONTEXT), ROOT_CONTEXT, randomOps(seed, 200));
    }
  });

  it('starts empty over ROOT_CONTEXT', () => {
    assert.deepEqual(valuesOf(LeanContext.over(ROOT_CONTEXT)), [
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('returns new contexts and leaves the one it was called on unchanged', () => {
    const [a] = KEYS as [symbol];
    const first = LeanContext.over(ROOT_CONTEXT).setValue(a, 1);
    const second = first.setValue(a, 2);
    const deleted = second.deleteValue(a);
    assert.notEqual(first, second);
    assert.equal(first.getValue(a), 1);
    assert.equal(second.getValue(a), 2);
    assert.equal(deleted.getValue(a), undefined);
  });

  it('sees the values of the context it is over, and can delete and replace them', () => {
    const [a, b, c] = KEYS as [symbol, symbol, symbol];
    const base = ROOT_CONTEXT.setValue(a, 'base-a').setValue(b, 'base-b');
    const lean = LeanContext.over(base);
    assert.equal(lean.getValue(a), 'base-a');
    assert.equal(lean.getValue(b), 'base-b');
    const changed = lean.deleteValue(a).setValue(b, 'lean-b').setValue(c, 'lean-c');
    assert.equal(changed.getValue(a), undefined);
    assert.equal(changed.getValue(b), 'lean-b');
    assert.equal(changed.getValue(c), 'lean-c');
    assert.equal(base.getValue(a), 'base-a', 'base is untouched');
    assert.equal(base.getValue(c), undefined);
    const restored = changed.setValue(a, 'again');
    assert.equal(restored.getValue(a), 'again');
  });

  it('matches the base context it is over through a random sequence', () => {
    const [a, b, , d] = KEYS as [symbol, symbol, symbol, symbol];
    const base = ROOT_CONTEXT.setValue(a, 'base-a').setValue(b, 'base-b').setValue(d, 'base-d');
    assertSameSequence(LeanContext.over(base), base, randomOps(7, 200));
  });

  it('does not wrap a lean context again', () => {
    const lean = LeanContext.over(ROOT_CONTEXT).setValue(KEYS[0] as symbol, 1);
    assert.equal(LeanContext.over(lean), lean);
  });

  it('keeps values and deletions in chains deeper than 16 (folded)', () => {
    const [a, b, c, d] = KEYS as [symbol, symbol, symbol, symbol];
    const base = ROOT_CONTEXT.setValue(a, 'base-a').setValue(b, 'base-b');
    let lean = LeanContext.over(base).deleteValue(a).setValue(c, 'c0');
    let reference = base.deleteValue(a).setValue(c, 'c0');
    const snapshots: Array<[Context, unknown[]]> = [];
    for (let i = 0; i < 60; i++) {
      lean = lean.setValue(d, i);
      reference = reference.setValue(d, i);
      if (i === 30) {
        lean = lean.deleteValue(b);
        reference = reference.deleteValue(b);
      }
      assert.deepEqual(valuesOf(lean), valuesOf(reference), `depth ${i + 3}`);
      snapshots.push([lean, valuesOf(reference)]);
    }
    assert.equal(lean.getValue(a), undefined, 'deleted base value stays deleted after folding');
    assert.equal(lean.getValue(b), undefined);
    assert.equal(lean.getValue(c), 'c0');
    assert.equal(lean.getValue(d), 59);
    for (const [ctx, expected] of snapshots) assert.deepEqual(valuesOf(ctx), expected);
  });

  it('holds a span for trace.setSpan, getSpan and deleteSpan', () => {
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    const lean = LeanContext.over(ROOT_CONTEXT);
    const withSpan = trace.setSpan(lean, span);
    assert.equal(trace.getSpan(withSpan), span);
    assert.equal(trace.getSpanContext(withSpan), span.spanContext());
    assert.equal(trace.getSpan(lean), undefined);
    assert.equal(trace.getSpan(trace.deleteSpan(withSpan)), undefined);
    const over = LeanContext.over(trace.setSpan(ROOT_CONTEXT, span));
    assert.equal(trace.getSpan(over), span);
    assert.equal(trace.getSpan(trace.deleteSpan(over)), undefined);
  });

  it('injects the same W3C headers as a ROOT_CONTEXT with the same span', () => {
    const propagator = new W3CTraceContextPropagator();
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      traceState: createTraceState('vendor=abc'),
    });
    const inject = (ctx: Context) => {
      const carrier: Record<string, string> = {};
      propagator.inject(ctx, carrier, defaultTextMapSetter);
      return carrier;
    };
    const lean = inject(trace.setSpan(LeanContext.over(ROOT_CONTEXT), span));
    assert.deepEqual(lean, inject(trace.setSpan(ROOT_CONTEXT, span)));
    assert.equal(lean.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    assert.equal(lean.tracestate, 'vendor=abc');
    const suppressed = suppressTracing(trace.setSpan(LeanContext.over(ROOT_CONTEXT), span));
    assert.ok(isTracingSuppressed(suppressed));
    assert.deepEqual(inject(suppressed), {});
  });

  it('extracts a W3C traceparent into a lean context', () => {
    const propagator = new W3CTraceContextPropagator();
    const carrier = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=abc',
    };
    const ctx = propagator.extract(LeanContext.over(ROOT_CONTEXT), carrier, defaultTextMapGetter);
    const spanContext = trace.getSpanContext(ctx);
    assert.equal(spanContext?.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(spanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(spanContext?.isRemote, true);
    assert.equal(spanContext?.traceState?.get('vendor'), 'abc');
  });
});
