import { type Context, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { warnOnce } from '../diagnostics/warn-once.js';
import { invalidOption } from '../errors.js';
import { type Clock, systemClock } from './clock.js';
import { Decision, DecisionMemory } from './decision-memory.js';
import { type CompiledPolicy, compileTailPolicies, type TraceView } from './tail-policies.js';
import {
  DEFAULT_TAIL_POLICIES,
  type TailPolicySpec,
  tailPolicyProblem,
} from './tail-policy-spec.js';
import { type EvictionReason, TailSamplingStats } from './tail-sampling-stats.js';

export interface TailSamplingOptions {
  /** Where kept spans go: usually the batch export processors. */
  next: SpanProcessor | readonly SpanProcessor[];
  /**
   * `SIGHTLINE_TAIL_POLICIES`. Evaluated in order; the first that keeps a trace decides (and is
   * credited in the metrics). Default `['error', 'latency', 'upstream', 'probabilistic']`.
   */
  policies?: readonly TailPolicySpec[];
  /** `SIGHTLINE_TAIL_DECISION_WAIT`: how long after the local root ends to wait for late children, ms. Default 1000. */
  decisionWaitMillis?: number;
  /** `SIGHTLINE_TAIL_LATENCY_THRESHOLD`: the `latency` policy's default threshold, ms. Default 1000. */
  latencyThresholdMillis?: number;
  /** `SIGHTLINE_TAIL_FALLBACK_RATIO`: the `probabilistic` policy's default ratio. Default 0.1. */
  fallbackRatio?: number;
  /** `SIGHTLINE_TAIL_MAX_TRACES`: traces buffered at most; the oldest is decided early. Default 10000. */
  maxTraces?: number;
  /** `SIGHTLINE_TAIL_MAX_SPANS`: spans buffered at most, over all traces. Default 20000. */
  maxSpans?: number;
  /** `SIGHTLINE_TAIL_MAX_SPANS_PER_TRACE`: a longer trace is decided in parts. Default 1000. */
  maxSpansPerTrace?: number;
  /** `SIGHTLINE_TAIL_DECISION_CACHE_SIZE`: decisions remembered for late spans. Default 50000. */
  decisionCacheSize?: number;
  /** Time source (tests inject one). */
  clock?: Clock;
  /** Do not start the decision timer; call `tick()` yourself (tests). */
  manualTick?: boolean;
}

/** A span processor that samples whole traces after they end. */
export interface TailSamplingProcessor extends SpanProcessor {
  /** The counters behind the `sightline.sampling.*` metrics. */
  readonly stats: TailSamplingStats;
  readonly bufferedTraces: number;
  readonly bufferedSpans: number;
  /** Decides every trace whose decision wait has passed. The processor's timer calls it. */
  tick(): void;
  /**
   * Whether this process already knows it keeps the trace (a decision, or a policy without a rate
   * limit that holds on the spans so far). The keep-hint propagator sends it downstream.
   */
  keepHint(traceId: string): boolean;
}

class BufferedTrace implements TraceView {
  spans: ReadableSpan[] = [];
  root: ReadableSpan | undefined = undefined;
  dueAt = Number.POSITIVE_INFINITY;
  done = false;
  // Neighbours in the age list of buffered traces (see `oldest`).
  older: BufferedTrace | undefined = undefined;
  newer: BufferedTrace | undefined = undefined;
  constructor(readonly traceId: string) {}
}

const EMPTY: ReadableSpan[] = [];

class TailSampler implements TailSamplingProcessor {
  readonly stats = new TailSamplingStats();
  private readonly next: readonly SpanProcessor[];
  private readonly policies: CompiledPolicy[];
  private readonly clock: Clock;
  private readonly wait: number;
  private readonly maxTraces: number;
  private readonly maxSpans: number;
  private readonly maxSpansPerTrace: number;
  private readonly decisions: DecisionMemory;
  private readonly traces = new Map<string, BufferedTrace>();
  // Buffered traces in the order they started, as a doubly linked list: the eviction order. Not the
  // Map's own order, whose first entry, in a Map that keeps losing its oldest entries, is found
  // only by walking over all the deleted ones; and linked so that a decided trace leaves at once
  // instead of lingering (and being promoted by the GC) in a queue.
  private oldest: BufferedTrace | undefined = undefined;
  private newest: BufferedTrace | undefined = undefined;
  // Traces whose local root ended, in the order they become due (the wait is the same for all).
  private due: BufferedTrace[] = [];
  private dueHead = 0;
  private spanCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    o: Required<Omit<TailSamplingOptions, 'next' | 'clock' | 'manualTick'>> & {
      next: readonly SpanProcessor[];
      clock: Clock;
      manualTick: boolean;
    },
  ) {
    this.next = o.next;
    this.clock = o.clock;
    this.wait = o.decisionWaitMillis;
    this.maxTraces = o.maxTraces;
    this.maxSpans = o.maxSpans;
    this.maxSpansPerTrace = o.maxSpansPerTrace;
    this.decisions = new DecisionMemory(o.decisionCacheSize);
    this.policies = compileTailPolicies(o.policies, o, o.clock);
    if (!o.manualTick) {
      this.timer = setInterval(() => this.tick(), Math.max(5, Math.min(100, this.wait / 4)));
      this.timer.unref();
    }
  }

  get bufferedTraces(): number {
    return this.traces.size;
  }

  get bufferedSpans(): number {
    return this.spanCount;
  }

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.next) p.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (this.closed) return;
    try {
      const spanContext = span.spanContext();
      // Unsampled spans are never exported: hand them on as they are, without buffering.
      if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) {
        this.forward(span);
        return;
      }
      const traceId = spanContext.traceId;
      // A buffered trace has no decision yet, so only a trace not buffered needs the lookup.
      let trace = this.traces.get(traceId);
      if (trace === undefined) {
        const decided = this.decisions.get(traceId);
        if (decided !== undefined) {
          this.late(span, decided);
          return;
        }
        if (this.traces.size >= this.maxTraces) this.evictOldest('max_traces');
        trace = new BufferedTrace(traceId);
        this.traces.set(traceId, trace);
        this.link(trace);
      }
      trace.spans.push(span);
      this.spanCount++;
      if (trace.root === undefined && isLocalRoot(span)) {
        trace.root = span;
        trace.dueAt = this.clock.now() + this.wait;
        if (this.wait <= 0) {
          this.decide(trace, true);
          return;
        }
        this.enqueueDue(trace);
      }
      if (trace.spans.length >= this.maxSpansPerTrace) {
        this.stats.evictions.max_spans_per_trace++;
        this.decide(trace, trace.root !== undefined);
      }
      while (this.spanCount > this.maxSpans) this.evictOldest('max_spans');
    } catch (error) {
      warnOnce('tail-sampling-on-end', `tail sampling failed on a span: ${String(error)}`);
    }
  }

  tick(): void {
    try {
      const now = this.clock.now();
      while (this.dueHead < this.due.length) {
        const trace = this.due[this.dueHead] as BufferedTrace;
        if (trace.dueAt > now) break;
        this.dueHead++;
        if (!trace.done) this.decide(trace, true);
      }
      if (this.dueHead > 1024 && this.dueHead * 2 > this.due.length) {
        this.due = this.due.slice(this.dueHead);
        this.dueHead = 0;
      }
    } catch (error) {
      warnOnce('tail-sampling-tick', `tail sampling failed to decide: ${String(error)}`);
    }
  }

  keepHint(traceId: string): boolean {
    const decided = this.decisions.get(traceId);
    if (decided !== undefined) return decided === Decision.Keep;
    const view = this.traces.get(traceId) ?? { traceId, spans: EMPTY, root: undefined };
    return this.policies.some((p) => p.keeps(view, false));
  }

  async forceFlush(): Promise<void> {
    // A flush means "export what is finished": decide every trace whose root has ended, now.
    for (const trace of [...this.traces.values()]) if (trace.root) this.decide(trace, true);
    await Promise.all(this.next.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    for (const trace of [...this.traces.values()]) this.decide(trace, trace.root !== undefined);
    this.closed = true;
    await Promise.all(this.next.map((p) => p.shutdown()));
  }

  private enqueueDue(trace: BufferedTrace): void {
    this.due.push(trace);
    // Decided (evicted) traces wait in the queue until their time; keep it bounded all the same.
    if (this.due.length - this.dueHead > 2 * this.maxTraces) {
      this.due = this.due.slice(this.dueHead).filter((t) => !t.done);
      this.dueHead = 0;
    }
  }

  private link(trace: BufferedTrace): void {
    trace.older = this.newest;
    if (this.newest) this.newest.newer = trace;
    else this.oldest = trace;
    this.newest = trace;
  }

  private unlink(trace: BufferedTrace): void {
    if (trace.older) trace.older.newer = trace.newer;
    else this.oldest = trace.newer;
    if (trace.newer) trace.newer.older = trace.older;
    else this.newest = trace.older;
    trace.older = undefined;
    trace.newer = undefined;
  }

  private evictOldest(reason: EvictionReason): void {
    const oldest = this.oldest;
    if (oldest === undefined) return;
    this.stats.evictions[reason]++;
    this.decide(oldest, oldest.root !== undefined);
  }

  /** Decides a buffered trace; `final` when its local root was seen (else the drop is provisional). */
  private decide(trace: BufferedTrace, final: boolean): void {
    trace.done = true;
    this.traces.delete(trace.traceId);
    this.unlink(trace);
    this.spanCount -= trace.spans.length;
    const keptBy = this.evaluate(trace);
    const spans = trace.spans;
    // The queues still hold the trace until their head passes it: let go of its spans now.
    trace.spans = EMPTY;
    trace.root = undefined;
    if (keptBy === undefined) {
      this.decisions.set(trace.traceId, final ? Decision.Drop : Decision.ProvisionalDrop);
      this.stats.dropped++;
      this.stats.spansDropped += spans.length;
      return;
    }
    this.decisions.set(trace.traceId, Decision.Keep);
    this.stats.keptBy(keptBy);
    this.stats.spansKept += spans.length;
    for (const span of spans) this.forward(span);
  }

  private late(span: ReadableSpan, decided: Decision): void {
    if (decided === Decision.ProvisionalDrop) {
      const traceId = span.spanContext().traceId;
      const keptBy = this.evaluate({
        traceId,
        spans: [span],
        root: isLocalRoot(span) ? span : undefined,
      });
      if (keptBy !== undefined) {
        this.decisions.set(traceId, Decision.Keep);
        this.stats.keptBy(keptBy);
        decided = Decision.Keep;
      }
    }
    if (decided === Decision.Keep) {
      this.stats.lateKept++;
      this.stats.spansKept++;
      this.forward(span);
    } else {
      this.stats.lateDropped++;
      this.stats.spansDropped++;
    }
  }

  private evaluate(trace: TraceView): string | undefined {
    for (const policy of this.policies) {
      if (policy.keeps(trace, true)) return policy.name;
      if (policy.limited) this.stats.limitedBy(policy.name);
    }
    return undefined;
  }

  private forward(span: ReadableSpan): void {
    for (const p of this.next) p.onEnd(span);
  }
}

function isLocalRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}

function check(name: string, value: number, min: number, max: number, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    invalidOption(name, value, expected);
  return value;
}

/**
 * Creates the tail sampler: it buffers the spans of each trace until the trace's local root ends,
 * waits `decisionWaitMillis` for late children, evaluates the policies in order and hands the spans
 * of kept traces to `next`. Everything is bounded: traces, spans, spans per trace (a longer trace is
 * decided in parts) and remembered decisions; under pressure the oldest trace is decided first.
 * Invalid options throw `SIGHTLINE_ERR_INVALID_OPTION` naming the option.
 *
 * `init()` builds one from `traces.tail` / `SIGHTLINE_TAIL_*` and puts it in front of its export
 * processors; build one yourself only when you wire the SDK by hand.
 *
 * @example
 * ```ts
 * import { createTailSamplingProcessor } from '@sightline/node';
 * import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
 * const tail = createTailSamplingProcessor({
 *   next: new BatchSpanProcessor(exporter),
 *   policies: ['error', { type: 'latency', thresholdMillis: 500, overrides: [{ route: '/health', thresholdMillis: 50 }] },
 *              { type: 'probabilistic', ratio: 0.05, maxPerSecond: 20 }],
 * });
 * const provider = new TracerProvider({ spanProcessors: [tail] });
 * ```
 */
export function createTailSamplingProcessor(options: TailSamplingOptions): TailSamplingProcessor {
  const policies = options.policies ?? DEFAULT_TAIL_POLICIES;
  const problem = tailPolicyProblem(policies);
  if (problem !== undefined) invalidOption('policies', policies, problem);
  const next = Array.isArray(options.next)
    ? (options.next as readonly SpanProcessor[])
    : [options.next as SpanProcessor];
  const int = 'an integer >= 1';
  return new TailSampler({
    next,
    policies,
    decisionWaitMillis: check(
      'decisionWaitMillis',
      options.decisionWaitMillis ?? 1000,
      0,
      Number.MAX_SAFE_INTEGER,
      'a number >= 0',
    ),
    latencyThresholdMillis: check(
      'latencyThresholdMillis',
      options.latencyThresholdMillis ?? 1000,
      0,
      Number.MAX_SAFE_INTEGER,
      'a number >= 0',
    ),
    fallbackRatio: check(
      'fallbackRatio',
      options.fallbackRatio ?? 0.1,
      0,
      1,
      'a number from 0 to 1',
    ),
    maxTraces: check('maxTraces', options.maxTraces ?? 10_000, 1, Number.MAX_SAFE_INTEGER, int),
    maxSpans: check('maxSpans', options.maxSpans ?? 20_000, 1, Number.MAX_SAFE_INTEGER, int),
    maxSpansPerTrace: check(
      'maxSpansPerTrace',
      options.maxSpansPerTrace ?? 1000,
      1,
      Number.MAX_SAFE_INTEGER,
      int,
    ),
    decisionCacheSize: check(
      'decisionCacheSize',
      options.decisionCacheSize ?? 50_000,
      1,
      Number.MAX_SAFE_INTEGER,
      int,
    ),
    clock: options.clock ?? systemClock,
    manualTick: options.manualTick ?? false,
  });
}
