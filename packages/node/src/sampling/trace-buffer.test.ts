import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SeededIdGenerator, seededRandom } from '../../test/support/sampling-harness.js';
import { NONE, TraceBuffer } from './trace-buffer.js';
import { hexWord, traceIdWords } from './trace-id-words.js';

const low = (traceId: string): number => hexWord(traceId, 24);
const fakeSpan = (name: string): ReadableSpan => ({ name }) as unknown as ReadableSpan;
const key = new Uint32Array(4);
/** Opens a trace the way the tail sampler does, with its id parsed first. */
const open = (buffer: TraceBuffer, traceId: string): number => {
  traceIdWords(traceId, key, 0);
  return buffer.open(traceId, key, 0);
};

describe('trace buffer', () => {
  it('finds traces whose ids share their last 32 bits, before and after one of them leaves', () => {
    const buffer = new TraceBuffer(16, 16);
    const ids = ['0', '1', '2', '3'].map((d) => `${d}af7651916cd43dd8448eb211c80319c`);
    const traces = ids.map((id) => open(buffer, id));
    for (const [i, id] of ids.entries()) assert.equal(buffer.find(id, low(id)), traces[i]);
    buffer.close(traces[1] as number, undefined);
    assert.equal(buffer.find(ids[1] as string, low(ids[1] as string)), NONE);
    for (const i of [0, 2, 3])
      assert.equal(buffer.find(ids[i] as string, low(ids[i] as string)), traces[i]);
  });

  it('hands a trace its spans back in the order they ended, and reuses their slots', () => {
    const buffer = new TraceBuffer(4, 4);
    const a = open(buffer, '4bf92f3577b34da6a3ce929d0e0e4736');
    const b = open(buffer, '5bf92f3577b34da6a3ce929d0e0e4736');
    buffer.add(a, fakeSpan('a1'));
    buffer.add(b, fakeSpan('b1'));
    assert.equal(buffer.add(a, fakeSpan('a2')), 2);
    assert.equal(buffer.spans, 3);
    const seen: string[] = [];
    buffer.close(a, (span) => seen.push(span.name));
    assert.deepEqual(seen, ['a1', 'a2']);
    assert.equal(buffer.spans, 1);
    assert.equal(buffer.traces, 1);
    // Four slots: the two freed ones are used again.
    const c = open(buffer, '6bf92f3577b34da6a3ce929d0e0e4736');
    for (const name of ['c1', 'c2', 'c3']) buffer.add(c, fakeSpan(name));
    assert.throws(() => buffer.add(c, fakeSpan('c4')), /span buffer full/);
  });

  it('keeps traces in started order and, once their root ended, in due order', () => {
    const buffer = new TraceBuffer(8, 8);
    const [a, b, c] = ['1', '2', '3'].map((d) =>
      open(buffer, `${d}bf92f3577b34da6a3ce929d0e0e4736`),
    ) as [number, number, number];
    assert.equal(buffer.oldest(), a);
    assert.equal(buffer.firstDue(), NONE);
    assert.equal(buffer.rootEnded(b), false);
    buffer.setDue(c, 10);
    buffer.setDue(b, 20);
    assert.equal(buffer.firstDue(), c);
    assert.equal(buffer.dueAt(c), 10);
    buffer.close(a, undefined);
    assert.equal(buffer.oldest(), b);
    buffer.close(c, undefined);
    assert.equal(buffer.firstDue(), b);
    buffer.close(b, undefined);
    assert.equal(buffer.oldest(), NONE);
    assert.equal(buffer.firstDue(), NONE);
  });

  it('agrees with a Map through growth and 50k random opens and closes, within its limits', () => {
    const random = seededRandom(9);
    const ids = new SeededIdGenerator(random);
    const maxTraces = 3000;
    const buffer = new TraceBuffer(maxTraces, maxTraces);
    const model = new Map<string, number>();
    const live: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      if (live.length < maxTraces && (live.length === 0 || random() < 0.55)) {
        const id = ids.generateTraceId();
        const t = open(buffer, id);
        buffer.add(t, fakeSpan(id));
        model.set(id, t);
        live.push(id);
      } else {
        const at = Math.floor(random() * live.length);
        const id = live[at] as string;
        live[at] = live[live.length - 1] as string;
        live.pop();
        const spans: string[] = [];
        buffer.close(model.get(id) as number, (span) => spans.push(span.name));
        assert.deepEqual(spans, [id]);
        model.delete(id);
        assert.equal(buffer.find(id, low(id)), NONE);
      }
      if (i % 5000 === 0)
        for (const [id, t] of model) assert.equal(buffer.find(id, low(id)), t, `trace ${id}`);
    }
    assert.equal(buffer.traces, model.size);
    assert.equal(buffer.spans, model.size);
    const { traces, spans, index } = buffer.capacity;
    assert.ok(traces <= maxTraces && spans <= maxTraces && index <= 4 * maxTraces);
  });
});
