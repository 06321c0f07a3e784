import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { grown } from './grown-array.js';
import { HeldSpans } from './held-spans.js';

/** No trace, no span slot: the end of a list. */
export const NONE = -1;

const FIRST_CAPACITY = 256;

// A trace's fields: sixteen 32-bit words, one 64-byte cache line. Deciding a trace long after it
// started reads this line, its index entry and its decision memory set, and not its spans.
const STRIDE = 16;
const KEY = 0; // 0-3: the trace id as four words (see `traceIdWords`)
const FACTS = 4; // what the policies know about the trace so far (see `SpanFacts`)
const HEAD = 5; // first and last span slot, in the order the spans ended
const TAIL = 6;
const COUNT = 7; // spans buffered
const OLDER = 8; // neighbours in started order
const NEWER = 9;
const DUE_NEXT = 10; // neighbours in due order, once the local root ended
const DUE_PREV = 11;
const DUE_AT = 6; // in float64 units: words 12-13, when the decision wait ends (+Infinity: not due)

/** A list of traces: the fields that link its members, and where its ends are kept in `ends`. */
interface TraceList {
  prev: number;
  next: number;
  first: number;
  last: number;
}
const STARTED: TraceList = { prev: OLDER, next: NEWER, first: 0, last: 1 };
const DUE: TraceList = { prev: DUE_PREV, next: DUE_NEXT, first: 2, last: 3 };

/**
 * The spans the tail sampler holds, grouped by trace, in arrays allocated once and grown (by
 * doubling) up to the limits: a trace is a small integer indexing one typed array, its spans a
 * chain of slots (`HeldSpans`, which keeps a span as numbers where it can, so that the span object
 * dies young). Buffering a span, starting or ending a trace allocates nothing.
 *
 * A trace is found by its id through an open-addressing index (linear probing on the id's last 32
 * bits, hashed) whose entries are checked against the id string itself. Traces are linked in the
 * order they started (the eviction order) and, once their local root ended, in the order they
 * become due; a trace leaves both lists at once when it is closed.
 */
export class TraceBuffer {
  /** Traces and spans buffered now. */
  traces = 0;
  spans = 0;

  /** Per trace t, its fields from `STRIDE * t`; the id's words from `keyAt(t)`. */
  words = new Uint32Array(0);
  private fields = new Int32Array(0);
  private times = new Float64Array(0);
  private ids: Array<string | undefined> = [];
  private readonly traceNumbers: Numbers;
  // The first and last trace of the started list and of the due list.
  private readonly ends = new Int32Array([NONE, NONE, NONE, NONE]);

  // The index: trace numbers, NONE where empty; a power of two, at least twice the trace capacity.
  private index = new Int32Array(0);
  private indexShift = 31;

  // Per span slot s: the span, and the next slot of its trace.
  private readonly held = new HeldSpans();
  private slotCapacity = 0;
  private readonly slotNumbers: Numbers;

  /** At most `maxTraces` traces and `maxSpans` spans: `open` and `add` throw beyond. */
  constructor(maxTraces: number, maxSpans: number) {
    this.traceNumbers = new Numbers('trace', maxTraces, (n) => this.growTraces(n));
    this.slotNumbers = new Numbers('span', maxSpans, (n) => this.growSlots(n));
  }

  /** The trace with this id (whose last 32 bits are `low`), or NONE. */
  find(traceId: string, low: number): number {
    const mask = this.index.length - 1;
    for (let i = this.home(low); ; i = (i + 1) & mask) {
      const t = this.index[i] as number;
      if (t === NONE) return NONE;
      if (this.words[STRIDE * t + 3] === low && this.ids[t] === traceId) return t;
    }
  }

  /** Starts buffering a trace, whose id is also parsed into `key[at]` to `key[at + 3]`: the newest, not due. */
  open(traceId: string, key: Uint32Array, at: number): number {
    const t = this.traceNumbers.take();
    this.traces++;
    this.ids[t] = traceId;
    const f = STRIDE * t;
    for (let w = 0; w < 4; w++) this.words[f + KEY + w] = key[at + w] as number;
    const fields = this.fields;
    fields[f + FACTS] = 0;
    fields[f + HEAD] = NONE;
    fields[f + TAIL] = NONE;
    fields[f + COUNT] = 0;
    this.times[(STRIDE / 2) * t + DUE_AT] = Number.POSITIVE_INFINITY;
    this.append(t, STARTED);
    const mask = this.index.length - 1;
    let i = this.home(this.words[f + 3] as number);
    while (this.index[i] !== NONE) i = (i + 1) & mask;
    this.index[i] = t;
    return t;
  }

  /** The trace's id. */
  traceId(t: number): string {
    return this.ids[t] as string;
  }

  /** Where the trace's id words start in `words`. */
  keyAt(t: number): number {
    return STRIDE * t + KEY;
  }

  /** What the policies know about the trace so far. */
  facts(t: number): number {
    return this.fields[STRIDE * t + FACTS] as number;
  }

  addFacts(t: number, facts: number): void {
    this.fields[STRIDE * t + FACTS] = (this.fields[STRIDE * t + FACTS] as number) | facts;
  }

  /** Adds a span to a trace; returns the trace's span count. */
  add(t: number, span: ReadableSpan): number {
    const s = this.slotNumbers.take();
    const held = this.held;
    held.setNext(s, NONE);
    held.put(s, span);
    const f = STRIDE * t;
    const fields = this.fields;
    const tail = fields[f + TAIL] as number;
    if (tail === NONE) fields[f + HEAD] = s;
    else held.setNext(tail, s);
    fields[f + TAIL] = s;
    this.spans++;
    const n = (fields[f + COUNT] as number) + 1;
    fields[f + COUNT] = n;
    return n;
  }

  /** Spans buffered for a trace. */
  spanCount(t: number): number {
    return this.fields[STRIDE * t + COUNT] as number;
  }

  /** When the trace's decision wait ends; +Infinity while its local root has not ended. */
  dueAt(t: number): number {
    return this.times[(STRIDE / 2) * t + DUE_AT] as number;
  }

  /** Whether the trace's local root ended (it is due at `dueAt`). */
  rootEnded(t: number): boolean {
    return this.times[(STRIDE / 2) * t + DUE_AT] !== Number.POSITIVE_INFINITY;
  }

  /** Marks the trace's local root as ended: due at `at`, after every trace due before it. */
  setDue(t: number, at: number): void {
    this.times[(STRIDE / 2) * t + DUE_AT] = at;
    this.append(t, DUE);
  }

  /** The trace that started first, or NONE. */
  oldest(): number {
    return this.ends[STARTED.first] as number;
  }

  /** The trace due first, or NONE. */
  firstDue(): number {
    return this.ends[DUE.first] as number;
  }

  /**
   * Stops buffering a trace and hands each of its spans, in the order they ended, to `visit` (when
   * given; it must not throw); the buffer lets go of them all. The trace number is free for reuse
   * afterwards.
   */
  close(t: number, visit: ((span: ReadableSpan) => void) | undefined): void {
    const fields = this.fields;
    const f = STRIDE * t;
    this.unindex(t);
    this.unlink(t, STARTED);
    if (this.rootEnded(t)) this.unlink(t, DUE);
    this.ids[t] = undefined;
    this.traces--;
    this.spans -= fields[f + COUNT] as number;
    this.traceNumbers.give(t);
    const held = this.held;
    for (let s = fields[f + HEAD] as number; s >= 0; ) {
      const next = held.next(s);
      this.slotNumbers.give(s);
      if (visit === undefined) held.clear(s);
      else visit(held.take(s));
      s = next;
    }
  }

  /** How many traces, span slots and index entries the arrays have room for (tests of bounds). */
  get capacity(): { traces: number; spans: number; index: number } {
    return { traces: this.ids.length, spans: this.slotCapacity, index: this.index.length };
  }

  private append(t: number, list: TraceList): void {
    const fields = this.fields;
    const last = this.ends[list.last] as number;
    fields[STRIDE * t + list.prev] = last;
    fields[STRIDE * t + list.next] = NONE;
    if (last === NONE) this.ends[list.first] = t;
    else fields[STRIDE * last + list.next] = t;
    this.ends[list.last] = t;
  }

  private unlink(t: number, list: TraceList): void {
    const fields = this.fields;
    const prev = fields[STRIDE * t + list.prev] as number;
    const next = fields[STRIDE * t + list.next] as number;
    if (prev === NONE) this.ends[list.first] = next;
    else fields[STRIDE * prev + list.next] = next;
    if (next === NONE) this.ends[list.last] = prev;
    else fields[STRIDE * next + list.prev] = prev;
  }

  private home(low: number): number {
    // Fibonacci hashing: ids that share their low bits still spread.
    return Math.imul(low, 0x9e3779b1) >>> this.indexShift;
  }

  /** Removes a trace from the index (backward-shift deletion: no tombstones). */
  private unindex(t: number): void {
    const mask = this.index.length - 1;
    let i = this.home(this.words[STRIDE * t + 3] as number);
    while (this.index[i] !== t) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const u = this.index[j] as number;
      if (u === NONE) break;
      const k = this.home(this.words[STRIDE * u + 3] as number);
      // Move u back into the hole at i unless its home lies cyclically in (i, j].
      const stays = i <= j ? k > i && k <= j : k > i || k <= j;
      if (!stays) {
        this.index[i] = u;
        i = j;
      }
    }
    this.index[i] = NONE;
  }

  private growTraces(n: number): void {
    const buffer = new ArrayBuffer(n * STRIDE * 4);
    const words = new Uint32Array(buffer);
    words.set(this.words);
    this.words = words;
    this.fields = new Int32Array(buffer);
    this.times = new Float64Array(buffer);
    this.ids = grown(this.ids, n);
    let bits = 1;
    while (1 << bits < 2 * n) bits++;
    this.index = new Int32Array(1 << bits).fill(NONE);
    this.indexShift = 32 - bits;
    const mask = this.index.length - 1;
    for (let t = 0; t < this.ids.length; t++) {
      if (this.ids[t] === undefined) continue;
      let i = this.home(this.words[STRIDE * t + 3] as number);
      while (this.index[i] !== NONE) i = (i + 1) & mask;
      this.index[i] = t;
    }
  }

  private growSlots(n: number): void {
    this.held.grow(n);
    this.slotCapacity = n;
  }
}

/**
 * The numbers 0 to `limit - 1`, handed out and taken back, the most recently given back first (its
 * array entries are the likeliest to be in the cache). The owner's arrays grow by doubling, from
 * `FIRST_CAPACITY`, as more numbers are in use.
 */
class Numbers {
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  private capacity = 0;

  constructor(
    private readonly what: string,
    private readonly limit: number,
    private readonly grow: (capacity: number) => void,
  ) {
    this.resize(Math.min(limit, FIRST_CAPACITY));
  }

  take(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount] as number;
    if (this.used === this.capacity) {
      if (this.used >= this.limit) throw new Error(`tail sampling: ${this.what} buffer full`);
      this.resize(Math.min(this.limit, this.capacity * 2));
    }
    return this.used++;
  }

  give(n: number): void {
    this.free[this.freeCount++] = n;
  }

  private resize(capacity: number): void {
    const n = Math.max(1, capacity);
    const free = new Int32Array(n);
    free.set(this.free);
    this.free = free;
    this.capacity = n;
    this.grow(n);
  }
}
