import { type Attributes, type Context, type Link, SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { invalidOption } from '../errors.js';
import { type Clock, systemClock } from './clock.js';
import { compileGlob, type GlobMatcher } from './glob.js';
import { followParent, NOT_SAMPLED, parentOf, SAMPLED } from './parent-decision.js';
import { type RuleSpanKind, type SamplingRule, samplingRulesProblem } from './sampling-rule.js';
import { TokenBucket } from './token-bucket.js';
import { keepsTraceId, type TraceIdThreshold, traceIdThreshold } from './trace-id-ratio.js';

export interface RulesSamplerOptions {
  /** `SIGHTLINE_SAMPLING_RULES` (JSON). Evaluated in order; the first match decides. */
  rules: readonly SamplingRule[];
  /** The ratio for new traces no rule matches (`OTEL_TRACES_SAMPLER_ARG`). Default 1. */
  defaultRatio?: number;
  clock?: Clock;
}

const KIND: Record<RuleSpanKind, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

interface CompiledRule {
  matches(name: string, kind: SpanKind, attributes: Attributes): boolean;
  threshold: TraceIdThreshold;
  limiter: TokenBucket | undefined;
}

/**
 * A head sampler driven by ordered rules on span name, kind, route and start attributes, each
 * mapping to a ratio (consistent by trace id, so services with the same rule agree) and an
 * optional rate limit. Spans with a parent follow the parent's decision.
 *
 * @example
 * ```ts
 * // or: SIGHTLINE_SAMPLING_RULES='[{"route":"/health*","ratio":0},{"kind":"server","ratePerSecond":100}]'
 * const sampler = new RulesSampler({
 *   rules: [{ route: '/health*', ratio: 0 }, { kind: 'server', ratePerSecond: 100 }],
 *   defaultRatio: 0.1,
 * });
 * ```
 */
export class RulesSampler implements Sampler {
  private readonly rules: CompiledRule[];
  private readonly fallback: TraceIdThreshold;

  constructor(options: RulesSamplerOptions) {
    const problem = samplingRulesProblem(options.rules);
    if (problem !== undefined) invalidOption('rules', options.rules, problem);
    const ratio = options.defaultRatio ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1))
      invalidOption('defaultRatio', ratio, 'a number from 0 to 1');
    const clock = options.clock ?? systemClock;
    this.rules = options.rules.map((rule) => compileRule(rule, clock));
    this.fallback = traceIdThreshold(ratio);
  }

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    _links?: Link[],
  ): SamplingResult {
    const parent = parentOf(context, traceId);
    if (parent !== undefined) return followParent(parent);
    for (const rule of this.rules) {
      if (!rule.matches(name, kind, attributes)) continue;
      if (!keepsTraceId(traceId, rule.threshold)) return NOT_SAMPLED;
      return rule.limiter === undefined || rule.limiter.tryTake() ? SAMPLED : NOT_SAMPLED;
    }
    return keepsTraceId(traceId, this.fallback) ? SAMPLED : NOT_SAMPLED;
  }

  toString(): string {
    return `RulesSampler{rules=${this.rules.length}}`;
  }
}

function compileRule(rule: SamplingRule, clock: Clock): CompiledRule {
  const checks: Array<(name: string, kind: SpanKind, attributes: Attributes) => boolean> = [];
  if (rule.name !== undefined) {
    const glob = compileGlob(rule.name);
    checks.push((name) => glob(name));
  }
  if (rule.kind !== undefined) {
    const wanted = KIND[rule.kind];
    checks.push((_, kind) => kind === wanted);
  }
  if (rule.route !== undefined) {
    const glob = compileGlob(rule.route);
    checks.push((_, __, a) => globValue(glob, a['http.route'] ?? a['url.path']));
  }
  for (const [key, pattern] of Object.entries(rule.attributes ?? {})) {
    const glob = compileGlob(pattern);
    checks.push((_, __, a) => globValue(glob, a[key]));
  }
  return {
    matches: (name, kind, attributes) => checks.every((check) => check(name, kind, attributes)),
    threshold: traceIdThreshold(rule.ratio ?? 1),
    limiter:
      rule.ratePerSecond === undefined ? undefined : new TokenBucket(rule.ratePerSecond, clock),
  };
}

function globValue(glob: GlobMatcher, value: unknown): boolean {
  return value !== undefined && glob(String(value));
}
