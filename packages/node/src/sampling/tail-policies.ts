import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Clock } from './clock.js';
import { compileGlob, type GlobMatcher } from './glob.js';
import { hasKeepHint } from './keep-hint.js';
import { type LatencyPolicySpec, MAX_SPAN_FACTS, type TailPolicySpec } from './tail-policy-spec.js';
import { TokenBucket } from './token-bucket.js';
import { keepsTraceIdWords, traceIdThreshold } from './trace-id-ratio.js';

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  readonly name: string;
  /**
   * Whether the policy keeps the trace whose id is parsed into `key[at]` to `key[at + 3]` (see
   * `traceIdWords`) and whose spans so far set `facts`. With `consume`, a matching
   * policy also takes a token from its rate limit and fails when there is none; without, a
   * rate-limited policy never answers yes (used for keep hints, which must only promise what is
   * certain).
   */
  keeps(key: Uint32Array, at: number, facts: number, consume: boolean): boolean;
  /** Whether the policy matched but its rate limit said no, on the last `keeps(…, true)`. */
  readonly limited: boolean;
}

/**
 * Computes the facts of spans as they end, as bits: every policy that looks at spans (error,
 * latency, attribute, upstream) owns a bit, set once one of the trace's spans holds for it. A
 * buffered trace is its spans plus one number, and deciding it reads no span.
 */
export interface SpanFacts {
  /**
   * The facts `span` adds: `root` when it is its trace's local root (the first one), `first` when
   * it is the first span of its trace (or of a part of a trace) in the buffer.
   */
  observe(span: ReadableSpan, root: boolean, first: boolean): number;
}

export interface CompiledPolicies extends SpanFacts {
  readonly policies: readonly CompiledPolicy[];
}

export interface PolicyDefaults {
  latencyThresholdMillis: number;
  fallbackRatio: number;
}

type SpanTest = (span: ReadableSpan) => boolean;
type Match = (key: Uint32Array, at: number, facts: number, consume: boolean) => boolean;

/** Which spans a fact looks at: every span, the local root only, or the first span only. */
interface FactTests {
  every: Array<{ bit: number; test: SpanTest }>;
  root: Array<{ bit: number; test: SpanTest }>;
  first: Array<{ bit: number; test: SpanTest }>;
  bits: number;
}

/** Compiles validated specs (see `tailPolicyProblem`). */
export function compileTailPolicies(
  specs: readonly TailPolicySpec[],
  defaults: PolicyDefaults,
  clock: Clock,
): CompiledPolicies {
  const tests: FactTests = { every: [], root: [], first: [], bits: 0 };
  const policies = compileAll(specs, defaults, clock, tests);
  const { every, root, first } = tests;
  return {
    policies,
    observe(span, isRoot, isFirst) {
      let facts = 0;
      for (let i = 0; i < every.length; i++) {
        const f = every[i] as { bit: number; test: SpanTest };
        if ((facts & f.bit) === 0 && f.test(span)) facts |= f.bit;
      }
      if (isRoot)
        for (let i = 0; i < root.length; i++) {
          const f = root[i] as { bit: number; test: SpanTest };
          if (f.test(span)) facts |= f.bit;
        }
      if (isFirst)
        for (let i = 0; i < first.length; i++) {
          const f = first[i] as { bit: number; test: SpanTest };
          if (f.test(span)) facts |= f.bit;
        }
      return facts;
    },
  };
}

function compileAll(
  specs: readonly TailPolicySpec[],
  defaults: PolicyDefaults,
  clock: Clock,
  tests: FactTests,
): CompiledPolicy[] {
  return specs.map((spec) => compile(spec, defaults, clock, tests));
}

function compile(
  spec: TailPolicySpec,
  defaults: PolicyDefaults,
  clock: Clock,
  tests: FactTests,
): CompiledPolicy {
  const object = (typeof spec === 'string' ? { type: spec } : spec) as Exclude<
    TailPolicySpec,
    string
  >;
  const match = matcher(object, defaults, clock, tests);
  const limiter =
    object.maxPerSecond === undefined ? undefined : new TokenBucket(object.maxPerSecond, clock);
  const policy = {
    name: object.name ?? defaultName(object),
    limited: false,
    keeps(key: Uint32Array, at: number, facts: number, consume: boolean): boolean {
      policy.limited = false;
      if (!match(key, at, facts, consume)) return false;
      if (limiter === undefined) return true;
      if (!consume) return false;
      if (limiter.tryTake()) return true;
      policy.limited = true;
      return false;
    },
  };
  return policy;
}

function defaultName(spec: Exclude<TailPolicySpec, string>): string {
  if (spec.type === 'and' || spec.type === 'or')
    return spec.policies
      .map((p) => (typeof p === 'string' ? p : (p.name ?? defaultName(p))))
      .join(spec.type === 'and' ? '+' : '|');
  return spec.type;
}

/** A new fact bit; `tailPolicyProblem` has checked that there are at most `MAX_SPAN_FACTS`. */
function newBit(tests: FactTests): number {
  const bit = 1 << tests.bits++;
  if (tests.bits > MAX_SPAN_FACTS) throw new Error(`more than ${MAX_SPAN_FACTS} span facts`);
  return bit;
}

const has =
  (bit: number): Match =>
  (_key, _at, facts) =>
    (facts & bit) !== 0;

function matcher(
  spec: Exclude<TailPolicySpec, string>,
  d: PolicyDefaults,
  clock: Clock,
  tests: FactTests,
): Match {
  switch (spec.type) {
    case 'error': {
      const bit = newBit(tests);
      tests.every.push({ bit, test: (s) => s.status.code === SpanStatusCode.ERROR });
      return has(bit);
    }
    case 'latency': {
      const bit = newBit(tests);
      const test = slowSpan(spec, d.latencyThresholdMillis);
      (spec.scope === 'any' ? tests.every : tests.root).push({ bit, test });
      return has(bit);
    }
    case 'attribute': {
      const { key, value } = spec;
      const glob = typeof value === 'string' ? compileGlob(value) : undefined;
      const test = (v: unknown): boolean =>
        v !== undefined &&
        (value === undefined || (glob !== undefined ? glob(String(v)) : v === value));
      const bit = newBit(tests);
      tests.every.push({ bit, test: (s) => test(s.attributes[key]) });
      return has(bit);
    }
    case 'upstream': {
      const use = spec.use ?? 'hint';
      const bit = newBit(tests);
      // Spans inherit their parent's tracestate, so the first span of a part speaks for it; the
      // sampled flag belongs to the remote parent of the local root (or of any span, in a part).
      if (use !== 'sampled')
        tests.first.push({ bit, test: (s) => hasKeepHint(s.spanContext().traceState) });
      if (use !== 'hint')
        tests.every.push({
          bit,
          test: (s) =>
            s.parentSpanContext?.isRemote === true &&
            (s.parentSpanContext.traceFlags & TraceFlags.SAMPLED) !== 0,
        });
      return has(bit);
    }
    case 'probabilistic': {
      const threshold = traceIdThreshold(spec.ratio ?? d.fallbackRatio);
      return (key, at) => keepsTraceIdWords(key, at, threshold);
    }
    case 'and': {
      const parts = compileAll(spec.policies, d, clock, tests);
      return (key, at, facts, consume) => parts.every((p) => p.keeps(key, at, facts, consume));
    }
    case 'or': {
      const parts = compileAll(spec.policies, d, clock, tests);
      return (key, at, facts, consume) => parts.some((p) => p.keeps(key, at, facts, consume));
    }
  }
}

function slowSpan(spec: LatencyPolicySpec, fallback: number): SpanTest {
  const base = spec.thresholdMillis ?? fallback;
  const overrides = (spec.overrides ?? []).map((o) => ({
    route: o.route === undefined ? undefined : compileGlob(o.route),
    operation: o.operation === undefined ? undefined : compileGlob(o.operation),
    thresholdMillis: o.thresholdMillis,
  }));
  const thresholdOf = (span: ReadableSpan): number => {
    for (const o of overrides) {
      if (o.route !== undefined && !globAttribute(o.route, span.attributes['http.route'])) continue;
      if (o.operation !== undefined && !o.operation(span.name)) continue;
      return o.thresholdMillis;
    }
    return base;
  };
  return (span) => durationMillis(span) > thresholdOf(span);
}

function globAttribute(glob: GlobMatcher, value: unknown): boolean {
  return value !== undefined && glob(String(value));
}

/** A span's duration in milliseconds. */
export function durationMillis(span: ReadableSpan): number {
  return span.duration[0] * 1e3 + span.duration[1] / 1e6;
}
