import { traceIdWords } from './trace-id-words.js';

/** What was decided for a trace. */
export const Decision = {
  /** Kept: late spans are exported too. */
  Keep: 1,
  /** Dropped after its local root ended and the decision wait passed: late spans are dropped. */
  Drop: 2,
  /**
   * Dropped early on part of the trace (buffer full, or the trace too long): a late span that a
   * policy keeps on its own (an error, a slow root) turns the decision into `Keep`.
   */
  ProvisionalDrop: 3,
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

const WAYS = 4;
// The decision lives in the top two bits of a slot's first word; the id keeps the other 126 bits.
const ID_BITS = 0x3fffffff;

/**
 * Remembers the decisions of recent traces, so that spans ending after their trace was decided
 * follow it. Bounded: `capacity` slots in a 4-way set-associative table keyed by the trace id
 * (126 of its 128 bits: two ids that differ only in their first two bits share a slot) and
 * indexed by its last 32 bits (random, per W3C Trace Context level 2); a new decision replaces the
 * oldest of the four in its set, so within a set the oldest decision is forgotten first, and a
 * span of a forgotten trace starts a new buffered trace.
 *
 * Typed arrays, not a Map of trace id strings: setting and getting allocate nothing, never
 * rehash and keep no strings alive. In the tail sampler's benchmark a Map of 50,000 ids (and
 * the strings it retained into the old generation) cost about a third of its overhead. A slot is
 * 16 bytes, the decision in the spare bits, and a set is one 64-byte cache line: a lookup reads
 * one line of a table that is mostly out of the cache. The tail sampler passes ids already parsed
 * into words (`traceIdWords`), so a trace's id is parsed once for its lookup and its decision.
 */
export class DecisionMemory {
  private readonly ways: number;
  private readonly sets: number;
  // Per slot, the trace id as four 32-bit words, most significant first, the decision in the top
  // two bits of the first (0: an empty slot; decisions are 1 to 3).
  private readonly words: Uint32Array;
  // Per set, the way the next new decision goes to (round robin: the oldest of the set).
  private readonly cursor: Uint8Array;
  private readonly scratch = new Uint32Array(4);
  private count = 0;

  constructor(capacity: number) {
    this.ways = Math.max(1, Math.min(WAYS, capacity));
    this.sets = Math.max(1, Math.floor(capacity / this.ways));
    this.words = new Uint32Array(this.ways * this.sets * 4);
    this.cursor = new Uint8Array(this.sets);
  }

  get(traceId: string): Decision | undefined {
    traceIdWords(traceId, this.scratch, 0);
    return this.getWords(this.scratch, 0);
  }

  /** Records a decision; changing the decision of a remembered trace does not make it younger. */
  set(traceId: string, decision: Decision): void {
    traceIdWords(traceId, this.scratch, 0);
    this.setWords(this.scratch, 0, decision);
  }

  /** `get` for an id parsed into `key[at]` to `key[at + 3]`. */
  getWords(key: Uint32Array, at: number): Decision | undefined {
    const slot = this.find(key, at);
    return slot < 0 ? undefined : (((this.words[4 * slot] as number) >>> 30) as Decision);
  }

  /** `set` for an id parsed into `key[at]` to `key[at + 3]`. */
  setWords(key: Uint32Array, at: number, decision: Decision): void {
    const first = (((key[at] as number) & ID_BITS) | (decision << 30)) >>> 0;
    const found = this.find(key, at);
    if (found >= 0) {
      this.words[4 * found] = first;
      return;
    }
    const set = this.setOf(key[at + 3] as number);
    const way = this.cursor[set] as number;
    const k = 4 * (set * this.ways + way);
    if (this.words[k] === 0) this.count++;
    this.words[k] = first;
    this.words[k + 1] = key[at + 1] as number;
    this.words[k + 2] = key[at + 2] as number;
    this.words[k + 3] = key[at + 3] as number;
    this.cursor[set] = (way + 1) % this.ways;
  }

  /**
   * The set of an id whose last word is `w3`: `w3 * sets / 2^32`, which spreads random words as
   * evenly as `w3 % sets` does. A word past 2^31 is a double in V8, whose `%` calls a C function
   * (measured 9 ns, against 1.5 ns for this). The product rounds by less than one part in 2^53, so
   * for `w3 < 2^32` it stays below `sets * 2^32`, and the set below `sets`.
   */
  private setOf(w3: number): number {
    return Math.floor(w3 * this.sets * 2.3283064365386963e-10);
  }

  /** The slot holding the id, or -1. */
  private find(key: Uint32Array, at: number): number {
    const w3 = key[at + 3] as number;
    const w0 = (key[at] as number) & ID_BITS;
    const base = this.setOf(w3) * this.ways;
    for (let slot = base; slot < base + this.ways; slot++) {
      const k = 4 * slot;
      const first = this.words[k] as number;
      if (
        first !== 0 &&
        this.words[k + 3] === w3 &&
        this.words[k + 2] === key[at + 2] &&
        this.words[k + 1] === key[at + 1] &&
        (first & ID_BITS) === w0
      )
        return slot;
    }
    return -1;
  }

  /** Decisions remembered now (at most the capacity). */
  get size(): number {
    return this.count;
  }
}
