import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Clock } from './clock.js';
import { compileGlob, type GlobMatcher } from './glob.js';
import { hasKeepHint } from './keep-hint.js';
import type { LatencyPolicySpec, TailPolicySpec } from './tail-policy-spec.js';
import { TokenBucket } from './token-bucket.js';
import { keepsTraceId, traceIdThreshold } from './trace-id-ratio.js';

/** What a policy sees: the spans of one trace buffered in this process. */
export interface TraceView {
  readonly traceId: string;
  readonly spans: readonly ReadableSpan[];
  /** The local root (no parent, or a remote one), once it has ended; absent for a part of a trace. */
  readonly root: ReadableSpan | undefined;
}

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  readonly name: string;
  /**
   * Whether the policy keeps the trace. With `consume`, a matching policy also takes a token from
   * its rate limit and fails when there is none; without, a rate-limited policy never answers yes
   * (used for keep hints, which must only promise what is certain).
   */
  keeps(trace: TraceView, consume: boolean): boolean;
  /** Whether the policy matched but its rate limit said no, on the last `keeps(…, true)`. */
  readonly limited: boolean;
}

export interface PolicyDefaults {
  latencyThresholdMillis: number;
  fallbackRatio: number;
}

type Match = (trace: TraceView, consume: boolean) => boolean;

/** Compiles validated specs (see `tailPolicyProblem`). */
export function compileTailPolicies(
  specs: readonly TailPolicySpec[],
  defaults: PolicyDefaults,
  clock: Clock,
): CompiledPolicy[] {
  return specs.map((spec) => compile(spec, defaults, clock));
}

function compile(spec: TailPolicySpec, defaults: PolicyDefaults, clock: Clock): CompiledPolicy {
  const object = (typeof spec === 'string' ? { type: spec } : spec) as Exclude<
    TailPolicySpec,
    string
  >;
  const match = matcher(object, defaults, clock);
  const limiter =
    object.maxPerSecond === undefined ? undefined : new TokenBucket(object.maxPerSecond, clock);
  const policy = {
    name: object.name ?? defaultName(object),
    limited: false,
    keeps(trace: TraceView, consume: boolean): boolean {
      policy.limited = false;
      if (!match(trace, consume)) return false;
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

function matcher(spec: Exclude<TailPolicySpec, string>, d: PolicyDefaults, clock: Clock): Match {
  switch (spec.type) {
    case 'error':
      return (t) => t.spans.some((s) => s.status.code === SpanStatusCode.ERROR);
    case 'latency':
      return latencyMatcher(spec, d.latencyThresholdMillis);
    case 'attribute': {
      const { key, value } = spec;
      const glob = typeof value === 'string' ? compileGlob(value) : undefined;
      const test = (v: unknown): boolean =>
        v !== undefined &&
        (value === undefined || (glob !== undefined ? glob(String(v)) : v === value));
      return (t) => t.spans.some((s) => test(s.attributes[key]));
    }
    case 'upstream': {
      const use = spec.use ?? 'hint';
      const hint = use !== 'sampled';
      const flag = use !== 'hint';
      // Spans inherit their parent's tracestate, so the first span of a part speaks for it; the
      // sampled flag belongs to the remote parent of the local root (or of any span, in a part).
      return (t) => {
        const first = t.spans[0];
        if (hint && first !== undefined && hasKeepHint(first.spanContext().traceState)) return true;
        return (
          flag &&
          t.spans.some(
            (s) =>
              s.parentSpanContext?.isRemote === true &&
              (s.parentSpanContext.traceFlags & TraceFlags.SAMPLED) !== 0,
          )
        );
      };
    }
    case 'probabilistic': {
      const threshold = traceIdThreshold(spec.ratio ?? d.fallbackRatio);
      return (t) => keepsTraceId(t.traceId, threshold);
    }
    case 'and': {
      const parts = compileTailPolicies(spec.policies, d, clock);
      return (t, consume) => parts.every((p) => p.keeps(t, consume));
    }
    case 'or': {
      const parts = compileTailPolicies(spec.policies, d, clock);
      return (t, consume) => parts.some((p) => p.keeps(t, consume));
    }
  }
}

function latencyMatcher(spec: LatencyPolicySpec, fallback: number): Match {
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
  const slow = (span: ReadableSpan): boolean => durationMillis(span) > thresholdOf(span);
  return spec.scope === 'any'
    ? (t) => t.spans.some(slow)
    : (t) => t.root !== undefined && slow(t.root);
}

function globAttribute(glob: GlobMatcher, value: unknown): boolean {
  return value !== undefined && glob(String(value));
}

/** A span's duration in milliseconds. */
export function durationMillis(span: ReadableSpan): number {
  return span.duration[0] * 1e3 + span.duration[1] / 1e6;
}
