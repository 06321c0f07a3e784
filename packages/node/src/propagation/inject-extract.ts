import { type Context, context as contextApi, propagation } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/warn-once.js';
import { type Carrier, carrierAccessors, type HeaderRecord } from './carriers.js';

/** What `inject` returns: the carrier it was given, a header object typed as one. */
export type Injected<C extends Carrier> = C extends HeaderRecord ? C & HeaderRecord : C;

/**
 * Writes `context` (default: the active one) into `carrier` with the global propagator, the one
 * `init()` registers from `propagators` / `OTEL_PROPAGATORS` (default W3C `traceparent`,
 * `tracestate` and `baggage`). The carrier may be a plain header object, WHATWG `Headers`, a
 * `Map`, or an array of `[name, value]` pairs (queue message metadata); names already present in
 * another letter case are replaced, not duplicated.
 *
 * Never throws: an unsupported carrier is reported once through `diag` and left untouched.
 * Returns the carrier, so it can be written inline.
 *
 * @example
 * ```ts
 * await fetch('http://inventory/items', { headers: inject({ accept: 'application/json' }) });
 * producer.send({ topic: 'orders', messages: [{ value, headers: inject({}) }] });
 * ```
 */
export function inject<C extends Carrier>(carrier: C, context?: Context): Injected<C> {
  const result = carrier as Injected<C>;
  const accessors = carrierAccessors(carrier);
  if (!accessors) {
    warnOnce('inject:carrier', `inject() was given ${describeCarrier(carrier)}; ${SUPPORTED}`);
    return result;
  }
  try {
    propagation.inject(context ?? contextApi.active(), carrier, accessors.setter);
  } catch (error) {
    warnOnce(
      `inject:${accessors.kind}`,
      `inject() failed on a ${accessors.kind} carrier: ${error}`,
    );
  }
  return result;
}

/**
 * Reads a remote span context and baggage from `carrier` with the global propagator and returns
 * `context` (default: the active one) with them set. Header names match in any letter case.
 * Pass the result as `parent` of a span, or run code in it with `context.with`.
 *
 * Never throws: a malformed header starts a new trace (the result holds no span context), a
 * missing carrier (`undefined`, `null`) returns `context` as is, and an unsupported carrier is
 * reported once through `diag` and returns `context` unchanged.
 *
 * @example
 * ```ts
 * http.createServer((req, res) => {
 *   const parent = extract(req.headers);
 *   withSpan('GET /orders', { kind: SpanKind.SERVER, parent }, () => handle(req, res));
 * });
 * ```
 */
export function extract(carrier: Carrier | null | undefined, context?: Context): Context {
  const base = context ?? contextApi.active();
  if (carrier === undefined || carrier === null) return base;
  const accessors = carrierAccessors(carrier);
  if (!accessors) {
    warnOnce('extract:carrier', `extract() was given ${describeCarrier(carrier)}; ${SUPPORTED}`);
    return base;
  }
  try {
    return propagation.extract(base, carrier, accessors.getter);
  } catch (error) {
    warnOnce(
      `extract:${accessors.kind}`,
      `extract() failed on a ${accessors.kind} carrier: ${error}`,
    );
    return base;
  }
}

const SUPPORTED =
  'expected a header object, Headers, a Map or [name, value] pairs; the context was not propagated';

function describeCarrier(carrier: unknown): string {
  if (carrier === null) return 'null';
  if (Array.isArray(carrier)) return 'an array that is not [name, value] pairs';
  if (typeof carrier !== 'object') return `a ${typeof carrier}`;
  const name: unknown = carrier.constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
}
