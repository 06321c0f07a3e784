import { type Context, context as contextApi, propagation } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/warn-once.js';

/**
 * The value of baggage entry `key` in `context` (default: the active one), or `undefined`.
 * Baggage arrives from upstream services: treat it as untrusted input.
 *
 * @example
 * ```ts
 * const tenant = getBaggage('tenant') ?? 'unknown';
 * ```
 */
export function getBaggage(key: string, context?: Context): string | undefined {
  return propagation.getBaggage(context ?? contextApi.active())?.getEntry(key)?.value;
}

/**
 * A copy of `context` (default: the active one) whose baggage also holds `entries`; existing
 * entries with the same keys are replaced. Nothing changes until the returned context is used
 * (`context.with`, or `parent` of a span). Keys that are empty and values that are not strings are
 * skipped and reported once through `diag`.
 *
 * @example
 * ```ts
 * const ctx = setBaggage({ tenant: 'acme', 'user.id': '42' });
 * context.with(ctx, () => fetch(url, { headers: inject({}) })); // sends a `baggage` header
 * ```
 */
export function setBaggage(entries: Record<string, string>, context?: Context): Context {
  const base = context ?? contextApi.active();
  if (typeof entries !== 'object' || entries === null) {
    warnOnce('setBaggage:entries', `setBaggage() was given ${typeof entries} instead of an object`);
    return base;
  }
  let baggage = propagation.getBaggage(base) ?? propagation.createBaggage();
  for (const [key, value] of Object.entries(entries)) {
    if (key === '' || typeof value !== 'string') {
      warnOnce(
        'setBaggage:entry',
        'setBaggage() skipped an entry with an empty key or a non-string value',
      );
      continue;
    }
    baggage = baggage.setEntry(key, { value });
  }
  return propagation.setBaggage(base, baggage);
}

/**
 * Runs `fn` in the active context plus the baggage `entries`, and returns what `fn` returns (a
 * promise stays a promise). Everything `fn` starts, sync or async, sees the entries, and `inject`
 * sends them downstream.
 *
 * @example
 * ```ts
 * await withBaggage({ tenant: 'acme' }, async () => {
 *   await fetch(url, { headers: inject({}) });
 * });
 * ```
 */
export function withBaggage<T>(entries: Record<string, string>, fn: () => T): T {
  if (typeof fn !== 'function') {
    warnOnce(
      'withBaggage:fn',
      `withBaggage() was given ${typeof fn} instead of a function; nothing was run`,
    );
    return undefined as T;
  }
  return contextApi.with(setBaggage(entries), fn);
}
