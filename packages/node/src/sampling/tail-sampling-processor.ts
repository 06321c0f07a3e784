import { type Context, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { warnOnce } from '../diagnostics/warn-once.js';
import { invalidOption } from '../errors.js';
import { BatchSpanProcessor } from '../trace/batch-span-processor.js';
import { type Clock, systemClock } from './clock.js';
import { Decision, DecisionMemory } from './decision-memory.js';
import { type CompiledPolicy, compileTailPolicies, type SpanFacts } from './tail-policies.js';
import {
  DEFAULT_TAIL_POLICIES,
  type TailPolicySpec,
  tailPolicyProblem,
} from './tail-policy-spec.js';
import { type EvictionReason, TailSamplingStats } from './tail-sampling-stats.js';
import { NONE, TraceBuffer } from './trace-buffer.js';
import { hexWord, traceIdWords } from './trace-id-words.js';

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

class TailSampler implements TailSamplingProcessor {
  readonly stats = new TailSamplingStats();
  private readonly next: readonly SpanProcessor[];
  // Those of `next` whose `onStart` does something (the batch processors' does nothing).
  private readonly startNext: readonly SpanProcessor[];
  private readonly policies: readonly CompiledPolicy[];
  private readonly facts: SpanFacts;
  private readonly clock: Clock;
  private readonly wait: number;
  private readonly maxTraces: number;
  private readonly maxSpans: number;
  private readonly maxSpansPerTrace: number;
  private readonly decisions: DecisionMemory;
  private readonly buffer: TraceBuffer;
  // A trace id parsed into words, for the spans and questions about traces not buffered.
  private readonly key = new Uint32Array(4);
  // The trace of the last span buffered: the spans of a trace often end one after another.
  private lastTraceId: string | undefined = undefined;
  private lastTrace = NONE;
  // What kept spans leaving the buffer go to: one closure, made once.
  private readonly forwardKept = (span: ReadableSpan): void => this.forward(span);
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
    this.startNext = o.next.filter((p) => p.onStart !== BatchSpanProcessor.prototype.onStart);
    this.clock = o.clock;
    this.wait = o.decisionWaitMillis;
    this.maxTraces = o.maxTraces;
    this.maxSpans = o.maxSpans;
    this.maxSpansPerTrace = o.maxSpansPerTrace;
    this.decisions = new DecisionMemory(o.decisionCacheSize);
    // A span is added before the limit is enforced: one slot more than the limit.
    this.buffer = new TraceBuffer(o.maxTraces, o.maxSpans + 1);
    const compiled = compileTailPolicies(o.policies, o, o.clock);
    this.policies = compiled.policies;
    this.facts = compiled;
    if (!o.manualTick) {
      this.timer = setInterval(() => this.tick(), Math.max(5, Math.min(100, this.wait / 4)));
      this.timer.unref();
    }
  }

  get bufferedTraces(): number {
    return this.buffer.traces;
  }

  get bufferedSpans(): number {
    return this.buffer.spans;
  }

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.startNext) p.onStart(span, parentContext);
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
      const buffer = this.buffer;
      let t =
        traceId === this.lastTraceId ? this.lastTrace : buffer.find(traceId, lowWord(traceId));
      let first = false;
      if (t === NONE) {
        // A buffered trace has no decision yet, so only a trace not buffered needs the lookup.
        // The id is parsed once, for it and for the new trace.
        traceIdWords(traceId, this.key, 0);
        const decided = this.decisions.getWords(this.key, 0);
        if (decided !== undefined) {
          this.late(span, decided);
          return;
        }
        if (buffer.traces >= this.maxTraces) this.evictOldest('max_traces');
        t = buffer.open(traceId, this.key, 0);
        first = true;
      }
      this.lastTraceId = traceId;
      this.lastTrace = t;
      const root = !buffer.rootEnded(t) && isLocalRoot(span);
      buffer.addFacts(t, this.facts.observe(span, root, first));
      const spans = buffer.add(t, span);
      if (root) {
        if (this.wait <= 0) {
          this.decide(t, true);
          return;
        }
        buffer.setDue(t, this.clock.now() + this.wait);
      }
      if (spans >= this.maxSpansPerTrace) {
        this.stats.evictions.max_spans_per_trace++;
        this.decide(t, buffer.rootEnded(t));
      }
      while (buffer.spans > this.maxSpans) this.evictOldest('max_spans');
    } catch (error) {
      warnOnce('tail-sampling-on-end', `tail sampling failed on a span: ${String(error)}`);
    }
  }

  tick(): void {
    try {
      const buffer = this.buffer;
      const now = this.clock.now();
      for (let t = buffer.firstDue(); t !== NONE; t = buffer.firstDue()) {
        if (buffer.dueAt(t) > now) break;
        this.decide(t, true);
      }
    } catch (error) {
      warnOnce('tail-sampling-tick', `tail sampling failed to decide: ${String(error)}`);
    }
  }

  keepHint(traceId: string): boolean {
    const decided = this.decisions.get(traceId);
    if (decided !== undefined) return decided === Decision.Keep;
    const t = this.buffer.find(traceId, lowWord(traceId));
    const facts = t === NONE ? 0 : this.buffer.facts(t);
    traceIdWords(traceId, this.key, 0);
    return this.policies.some((p) => p.keeps(this.key, 0, facts, false));
  }

  async forceFlush(): Promise<void> {
    // A flush means "export what is finished": decide every trace whose root has ended, now.
    for (let t = this.buffer.firstDue(); t !== NONE; t = this.buffer.firstDue())
      this.decide(t, true);
    await Promise.all(this.next.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    for (let t = this.buffer.oldest(); t !== NONE; t = this.buffer.oldest())
      this.decide(t, this.buffer.rootEnded(t));
    this.closed = true;
    await Promise.all(this.next.map((p) => p.shutdown()));
  }

  private evictOldest(reason: EvictionReason): void {
    const oldest = this.buffer.oldest();
    if (oldest === NONE) return;
    this.stats.evictions[reason]++;
    this.decide(oldest, this.buffer.rootEnded(oldest));
  }

  /** Decides a buffered trace; `final` when its local root was seen (else the drop is provisional). */
  private decide(t: number, final: boolean): void {
    const buffer = this.buffer;
    const spans = buffer.spanCount(t);
    const at = buffer.keyAt(t);
    const keptBy = this.evaluate(buffer.words, at, buffer.facts(t));
    if (keptBy === undefined) {
      this.decisions.setWords(buffer.words, at, final ? Decision.Drop : Decision.ProvisionalDrop);
      this.stats.dropped++;
      this.stats.spansDropped += spans;
      this.close(t, undefined);
      return;
    }
    this.decisions.setWords(buffer.words, at, Decision.Keep);
    this.stats.keptBy(keptBy);
    this.stats.spansKept += spans;
    this.close(t, this.forwardKept);
  }

  private close(t: number, visit: ((span: ReadableSpan) => void) | undefined): void {
    if (t === this.lastTrace) this.lastTraceId = undefined;
    this.buffer.close(t, visit);
  }

  private late(span: ReadableSpan, decided: Decision): void {
    if (decided === Decision.ProvisionalDrop) {
      // `key` still holds the span's trace id, parsed by `onEnd`.
      const facts = this.facts.observe(span, isLocalRoot(span), true);
      const keptBy = this.evaluate(this.key, 0, facts);
      if (keptBy !== undefined) {
        this.decisions.setWords(this.key, 0, Decision.Keep);
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

  private evaluate(key: Uint32Array, at: number, facts: number): string | undefined {
    for (const policy of this.policies) {
      if (policy.keeps(key, at, facts, true)) return policy.name;
      if (policy.limited) this.stats.limitedBy(policy.name);
    }
    return undefined;
  }

  /** Hands a span on; a failing processor is reported once and does not stop the others. */
  private forward(span: ReadableSpan): void {
    for (const p of this.next) {
      try {
        p.onEnd(span);
      } catch (error) {
        warnOnce(
          'tail-sampling-forward',
          `a processor after tail sampling failed: ${String(error)}`,
        );
      }
    }
  }
}

function isLocalRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}

/** The last 32 bits of a trace id: what the buffer's index hashes. */
function lowWord(traceId: string): number {
  return hexWord(traceId, traceId.length - 8);
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
