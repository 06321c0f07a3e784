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

/**
 * Remembers the decisions of recent traces, so that spans ending after their trace was decided
 * follow it. Bounded: `capacity` slots in a 4-way set-associative table keyed by the whole
 * 128-bit trace id and indexed by its last 32 bits (random, per W3C Trace Context level 2); a new
 * decision replaces the oldest of the four in its set, so within a set the oldest decision is
 * forgotten first, and a span of a forgotten trace starts a new buffered trace.
 *
 * Typed arrays, not a Map of trace id strings: setting and getting allocate nothing, never
 * rehash and keep no strings alive. In the tail sampler's benchmark a Map of 50,000 ids (and
 * the strings it retained into the old generation) cost about a third of its overhead.
 */
export class DecisionMemory {
  private readonly ways: number;
  private readonly sets: number;
  // The trace id as four 32-bit words, most significant first.
  private readonly words: Uint32Array;
  /** 0 means an empty slot (decisions are 1 to 3). */
  private readonly values: Uint8Array;
  // Per set, the way the next new decision goes to (round robin: the oldest of the set).
  private readonly cursor: Uint8Array;
  private count = 0;

  constructor(capacity: number) {
    this.ways = Math.max(1, Math.min(WAYS, capacity));
    this.sets = Math.max(1, Math.floor(capacity / this.ways));
    const slots = this.ways * this.sets;
    this.words = new Uint32Array(slots * 4);
    this.values = new Uint8Array(slots);
    this.cursor = new Uint8Array(this.sets);
  }

  get(traceId: string): Decision | undefined {
    const slot = this.find(traceId);
    return slot < 0 ? undefined : (this.values[slot] as Decision);
  }

  /** Records a decision; changing the decision of a remembered trace does not make it younger. */
  set(traceId: string, decision: Decision): void {
    const found = this.find(traceId);
    if (found >= 0) {
      this.values[found] = decision;
      return;
    }
    const set = this.setOf(traceId);
    const way = this.cursor[set] as number;
    const slot = set * this.ways + way;
    if (this.values[slot] === 0) this.count++;
    const at = traceId.length - 32;
    for (let w = 0; w < 4; w++) this.words[slot * 4 + w] = hex32(traceId, at + 8 * w);
    this.values[slot] = decision;
    this.cursor[set] = (way + 1) % this.ways;
  }

  private setOf(traceId: string): number {
    return hex32(traceId, traceId.length - 8) % this.sets;
  }

  /** The slot holding `traceId`, or -1. */
  private find(traceId: string): number {
    const at = traceId.length - 32;
    const w3 = hex32(traceId, at + 24);
    const base = (w3 % this.sets) * this.ways;
    for (let slot = base; slot < base + this.ways; slot++) {
      if (this.values[slot] === 0) continue;
      const k = slot * 4;
      if (
        this.words[k + 3] === w3 &&
        this.words[k + 2] === hex32(traceId, at + 16) &&
        this.words[k + 1] === hex32(traceId, at + 8) &&
        this.words[k] === hex32(traceId, at)
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

/** Eight hex digits from `at` as an unsigned 32-bit number, without allocating a substring. */
function hex32(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + 8; i++) {
    const c = text.charCodeAt(i);
    h = ((h << 4) | (c <= 57 ? c - 48 : (c | 32) - 87)) >>> 0;
  }
  return h;
}
