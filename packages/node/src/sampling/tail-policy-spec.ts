/**
 * Tail sampling policies as plain data, so the same shape works in code, in the `SIGHTLINE_CONFIG`
 * file and as JSON in `SIGHTLINE_TAIL_POLICIES`. A bare name uses the processor's defaults
 * (`latency` takes `latencyThresholdMillis`, `probabilistic` takes `fallbackRatio`).
 */
export type TailPolicyName = 'error' | 'latency' | 'upstream' | 'probabilistic';

interface PolicyCommon {
  /** The name in self-metrics; default the type (`and`/`or`: their members joined). */
  name?: string;
  /** A token-bucket rate limit: at most this many traces a second are kept by this policy. */
  maxPerSecond?: number;
}

/** Keep a trace when a threshold is exceeded, optionally with other thresholds per route or span name. */
export interface LatencyPolicySpec extends PolicyCommon {
  type: 'latency';
  /** Default: the processor's `latencyThresholdMillis`. */
  thresholdMillis?: number;
  /** `root` (default): the local root span's duration; `any`: any span's. */
  scope?: 'root' | 'any';
  /** First match wins: `route` globs `http.route`, `operation` globs the span name. */
  overrides?: { route?: string; operation?: string; thresholdMillis: number }[];
}

export type TailPolicySpec =
  | TailPolicyName
  | ({ type: 'error' } & PolicyCommon)
  | LatencyPolicySpec
  | ({
      type: 'attribute';
      key: string;
      /** A glob for string values, or an exact number or boolean; omitted: the key is present. */
      value?: string | number | boolean;
    } & PolicyCommon)
  | ({
      type: 'upstream';
      /** `hint` (default): our `sightline=keep` tracestate entry; `sampled`: the parent's sampled flag; `either`. */
      use?: 'hint' | 'sampled' | 'either';
    } & PolicyCommon)
  | ({ type: 'probabilistic'; ratio?: number } & PolicyCommon)
  | ({ type: 'and' | 'or'; policies: TailPolicySpec[] } & PolicyCommon);

export const TAIL_POLICY_NAMES: readonly TailPolicyName[] = [
  'error',
  'latency',
  'upstream',
  'probabilistic',
];

/** Keep errors, slow traces and what upstream kept, and a consistent sample of the rest. */
export const DEFAULT_TAIL_POLICIES: readonly TailPolicySpec[] = [
  'error',
  'latency',
  'upstream',
  'probabilistic',
];

const TYPES = new Set(['error', 'latency', 'attribute', 'upstream', 'probabilistic', 'and', 'or']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isRatio = (v: unknown): boolean => nonNegative(v) && (v as number) <= 1;
const isText = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/**
 * Policies that look at spans (all but `probabilistic`, counting the members of `and`/`or`) one
 * processor can hold: each owns one bit of a buffered trace's facts.
 */
export const MAX_SPAN_FACTS = 31;

/** How many policies that look at spans a list holds, members of `and`/`or` included. */
export function spanFactCount(specs: readonly TailPolicySpec[]): number {
  let n = 0;
  for (const spec of specs) {
    if (typeof spec === 'string') n += spec === 'probabilistic' ? 0 : 1;
    else if (spec.type === 'and' || spec.type === 'or') n += spanFactCount(spec.policies);
    else if (spec.type !== 'probabilistic') n++;
  }
  return n;
}

/** What is wrong with a policy list, as `[2].ratio: expected a number from 0 to 1`; undefined when valid. */
export function tailPolicyProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'expected an array of policies';
  if (value.length === 0) return 'expected at least one policy';
  for (const [i, policy] of value.entries()) {
    const problem = policyProblem(policy);
    if (problem !== undefined) return `[${i}]${problem}`;
  }
  const facts = spanFactCount(value as TailPolicySpec[]);
  if (facts > MAX_SPAN_FACTS)
    return `expected at most ${MAX_SPAN_FACTS} error, latency, attribute and upstream policies in all (and/or members included), got ${facts}`;
  return undefined;
}

function policyProblem(p: unknown): string | undefined {
  if (typeof p === 'string')
    return (TAIL_POLICY_NAMES as readonly string[]).includes(p)
      ? undefined
      : `: unknown policy name ${JSON.stringify(p)} (expected ${TAIL_POLICY_NAMES.join(', ')}, or an object)`;
  if (!isObject(p)) return ': expected a policy name or an object';
  if (!TYPES.has(p.type as string))
    return `.type: unknown policy type ${JSON.stringify(p.type)} (expected ${[...TYPES].join(', ')})`;
  for (const key of Object.keys(p)) {
    if (!ALLOWED[p.type as string]?.has(key))
      return `.${key}: unknown field for a ${p.type} policy`;
  }
  if (p.name !== undefined && !isText(p.name)) return '.name: expected a non-empty string';
  if (p.maxPerSecond !== undefined && !nonNegative(p.maxPerSecond))
    return '.maxPerSecond: expected a number >= 0';
  switch (p.type) {
    case 'latency':
      if (p.thresholdMillis !== undefined && !nonNegative(p.thresholdMillis))
        return '.thresholdMillis: expected a number >= 0';
      if (p.scope !== undefined && p.scope !== 'root' && p.scope !== 'any')
        return '.scope: expected root or any';
      if (p.overrides !== undefined) {
        if (!Array.isArray(p.overrides)) return '.overrides: expected an array';
        for (const [i, o] of p.overrides.entries()) {
          if (!isObject(o) || !nonNegative(o.thresholdMillis))
            return `.overrides[${i}].thresholdMillis: expected a number >= 0`;
          if (o.route !== undefined && !isText(o.route))
            return `.overrides[${i}].route: expected a glob`;
          if (o.operation !== undefined && !isText(o.operation))
            return `.overrides[${i}].operation: expected a glob`;
        }
      }
      return undefined;
    case 'attribute':
      if (!isText(p.key)) return '.key: expected a non-empty string';
      if (p.value !== undefined && !['string', 'number', 'boolean'].includes(typeof p.value))
        return '.value: expected a string (glob), number or boolean';
      return undefined;
    case 'upstream':
      if (p.use !== undefined && !['hint', 'sampled', 'either'].includes(p.use as string))
        return '.use: expected hint, sampled or either';
      return undefined;
    case 'probabilistic':
      if (p.ratio !== undefined && !isRatio(p.ratio))
        return '.ratio: expected a number from 0 to 1';
      return undefined;
    case 'and':
    case 'or': {
      const inner = tailPolicyProblem(p.policies);
      return inner === undefined
        ? undefined
        : `.policies${inner.startsWith('[') ? '' : ': '}${inner}`;
    }
    default:
      return undefined;
  }
}

const COMMON = ['type', 'name', 'maxPerSecond'];
const ALLOWED: Record<string, Set<string>> = {
  error: new Set(COMMON),
  latency: new Set([...COMMON, 'thresholdMillis', 'scope', 'overrides']),
  attribute: new Set([...COMMON, 'key', 'value']),
  upstream: new Set([...COMMON, 'use']),
  probabilistic: new Set([...COMMON, 'ratio']),
  and: new Set([...COMMON, 'policies']),
  or: new Set([...COMMON, 'policies']),
};
