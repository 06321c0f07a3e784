/** Span kinds as sampling rules spell them. */
export type RuleSpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/**
 * One head sampling rule. Every given matcher must match (globs: `*` any run, `?` one character);
 * a rule with no matchers matches everything, which makes it a default rule. The first matching
 * rule decides.
 */
export interface SamplingRule {
  /** Glob on the span name. */
  name?: string;
  kind?: RuleSpanKind;
  /** Glob on the `http.route` start attribute (falling back to `url.path`, since a route is often known only later). */
  route?: string;
  /** Globs on start attributes, by key; every one must match. */
  attributes?: Record<string, string>;
  /** The share of matching new traces to keep, in [0, 1], consistent by trace id. Default 1. */
  ratio?: number;
  /** At most this many matching new traces a second (a token bucket, after the ratio). */
  ratePerSecond?: number;
}

const KINDS = new Set(['internal', 'server', 'client', 'producer', 'consumer']);
const FIELDS = new Set(['name', 'kind', 'route', 'attributes', 'ratio', 'ratePerSecond']);

/** What is wrong with a rule list, as `[1].ratio: expected a number from 0 to 1`; undefined when valid. */
export function samplingRulesProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'expected an array of rules';
  for (const [i, rule] of value.entries()) {
    const at = `[${i}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
      return `${at}: expected an object`;
    const r = rule as Record<string, unknown>;
    for (const key of Object.keys(r))
      if (!FIELDS.has(key))
        return `${at}.${key}: unknown field (expected ${[...FIELDS].join(', ')})`;
    for (const key of ['name', 'route'] as const)
      if (r[key] !== undefined && typeof r[key] !== 'string')
        return `${at}.${key}: expected a glob`;
    if (r.kind !== undefined && !KINDS.has(r.kind as string))
      return `${at}.kind: expected one of ${[...KINDS].join(', ')}`;
    if (r.attributes !== undefined) {
      const a = r.attributes;
      if (typeof a !== 'object' || a === null || Array.isArray(a))
        return `${at}.attributes: expected an object of globs`;
      for (const [k, v] of Object.entries(a))
        if (typeof v !== 'string') return `${at}.attributes.${k}: expected a glob`;
    }
    if (r.ratio !== undefined && !(typeof r.ratio === 'number' && r.ratio >= 0 && r.ratio <= 1))
      return `${at}.ratio: expected a number from 0 to 1`;
    if (
      r.ratePerSecond !== undefined &&
      !(typeof r.ratePerSecond === 'number' && r.ratePerSecond >= 0 && r.ratePerSecond < Infinity)
    )
      return `${at}.ratePerSecond: expected a number >= 0`;
  }
  return undefined;
}
