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

/**
 * Remembers the decisions of recent traces, so that spans ending after their trace was decided
 * follow it. Bounded: past `capacity` the oldest decision is forgotten, and a span of a forgotten
 * trace starts a new buffered trace. Age is kept in a ring of trace ids rather than in the Map's
 * insertion order, because taking the first key of a Map that keeps losing its oldest entries
 * walks over all the deleted ones.
 */
export class DecisionMemory {
  private readonly decisions = new Map<string, Decision>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  get(traceId: string): Decision | undefined {
    return this.decisions.get(traceId);
  }

  /** Records a decision; changing the decision of a remembered trace does not make it younger. */
  set(traceId: string, decision: Decision): void {
    const map = this.decisions;
    if (!map.has(traceId)) {
      const oldest = this.ring[this.next];
      if (oldest !== undefined) map.delete(oldest);
      this.ring[this.next] = traceId;
      this.next = (this.next + 1) % this.capacity;
    }
    map.set(traceId, decision);
  }

  get size(): number {
    return this.decisions.size;
  }
}
