/** Why buffered traces were decided before their local root ended. */
export type EvictionReason = 'max_traces' | 'max_spans' | 'max_spans_per_trace';

/**
 * Plain counters of the tail sampler, written on the hot path and read by observable instruments
 * at collection time (`sightline.sampling.*`).
 */
export class TailSamplingStats {
  /** Traces kept, by the name of the policy that kept them. */
  readonly kept = new Map<string, number>();
  /** Traces a policy matched but whose rate limit said no, by policy name. */
  readonly rateLimited = new Map<string, number>();
  /** Traces no policy kept. */
  dropped = 0;
  readonly evictions: Record<EvictionReason, number> = {
    max_traces: 0,
    max_spans: 0,
    max_spans_per_trace: 0,
  };
  /** Spans that ended after their trace was decided, by what happened to them. */
  lateKept = 0;
  lateDropped = 0;
  /** Spans exported and dropped in total (buffered spans of kept and dropped traces, plus late ones). */
  spansKept = 0;
  spansDropped = 0;

  keptBy(policy: string): void {
    this.kept.set(policy, (this.kept.get(policy) ?? 0) + 1);
  }

  limitedBy(policy: string): void {
    this.rateLimited.set(policy, (this.rateLimited.get(policy) ?? 0) + 1);
  }

  /** Traces kept by any policy. */
  get keptTotal(): number {
    let total = 0;
    for (const n of this.kept.values()) total += n;
    return total;
  }
}
