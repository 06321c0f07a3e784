import { type Context, context as contextApi } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { warnOnce } from '../diagnostics/warn-once.js';
import { carrierAccessors } from '../propagation/carriers.js';
import { TraceContextPropagator } from '../propagation/trace-context-propagator.js';

/** The trace context handed to a worker thread: W3C `traceparent`, `tracestate` and `baggage`. */
export type WorkerContextCarrier = Record<string, string>;

// Always W3C, whatever OTEL_PROPAGATORS says: the carrier never leaves the process, and a worker
// thread is a realm of its own whose global propagator stays a no-op unless it calls init() too.
const w3c = new CompositePropagator({
  propagators: [new TraceContextPropagator(), new W3CBaggagePropagator()],
});

/**
 * The span context and baggage of `context` (default: the active one) as a plain object of
 * strings, which survives `workerData` and `postMessage` (structured clone). Read it inside the
 * worker with `contextFromWorker`. Empty when there is no valid span context or baggage.
 *
 * @example
 * ```ts
 * await withSpan('resize images', () =>
 *   new Worker(new URL('./resize.js', import.meta.url), {
 *     workerData: { files, trace: contextForWorker() },
 *   }),
 * );
 * ```
 */
export function contextForWorker(context?: Context): WorkerContextCarrier {
  const carrier: WorkerContextCarrier = {};
  const setter = carrierAccessors(carrier)?.setter;
  if (setter) w3c.inject(context ?? contextApi.active(), carrier, setter);
  return carrier;
}

/**
 * The context described by a `contextForWorker` carrier, on top of `context` (default: the active
 * one), for use inside the worker: as `parent` of its spans, or with `context.with`. The worker
 * records spans only if it starts its own SDK (`init()`), since globals are per thread. Never
 * throws: a missing carrier returns `context`; anything else that is not such a carrier is also
 * reported once through `diag`.
 *
 * @example
 * ```ts
 * // resize.js, inside the worker
 * import { workerData } from 'node:worker_threads';
 * const parent = contextFromWorker(workerData.trace);
 * withSpan('resize', { parent }, () => resize(workerData.files));
 * ```
 */
export function contextFromWorker(carrier: unknown, context?: Context): Context {
  const base = context ?? contextApi.active();
  if (carrier === undefined || carrier === null) return base;
  const getter = carrierAccessors(carrier)?.getter;
  if (!getter) {
    warnOnce(
      'contextFromWorker:carrier',
      `contextFromWorker() was given ${typeof carrier} instead of a contextForWorker() object`,
    );
    return base;
  }
  return w3c.extract(base, carrier, getter);
}
