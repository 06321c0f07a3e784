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
 * follow it. Bounded: past `capacity` the oldest decision is forgotten (a Map iterates in insertion
 * order), and a span of a forgotten trace starts a new buffered trace.
 */
export class DecisionMemory {
  private readonly decisions = new Map<string, Decision>();

  constructor(private readonly capacity: number) {}

  get(traceId: string): Decision | undefined {
    return this.decisions.get(traceId);
  }

  set(traceId: string, decision: Decision): void {
    const map = this.decisions;
    if (map.has(traceId)) map.delete(traceId);
    else if (map.size >= this.capacity) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(traceId, decision);
  }

  get size(): number {
    return this.decisions.size;
  }
}
