import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { VERSION } from '../version.js';

export const HELPER_SCOPE = '@sightline/node';

type ProxyLike = TracerProvider & {
  getDelegate?: () => TracerProvider;
  getDelegateTracer?: (name: string) => Tracer | undefined;
};

let cachedDelegate: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;
let cachedIsNoop = false;

/**
 * The tracer the span helpers use when none is given. Resolved against the provider registered
 * *now*: the API's proxy tracer would keep the first SDK's tracer forever, so a re-`init()` (tests,
 * hot reload) would go on feeding a provider that was shut down. One global read and one identity
 * check per call; the tracer itself is cached.
 */
export function defaultTracer(): Tracer {
  const provider = trace.getTracerProvider() as ProxyLike;
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider;
  if (delegate !== cachedDelegate || cachedTracer === undefined) {
    cachedDelegate = delegate;
    cachedTracer = delegate.getTracer(HELPER_SCOPE, VERSION);
    // The API's proxy has no delegate until an SDK registers one: every span is then a no-op.
    cachedIsNoop =
      typeof provider.getDelegateTracer === 'function' &&
      provider.getDelegateTracer(HELPER_SCOPE) === undefined;
  }
  return cachedTracer;
}

/** A tracer given by name is looked up on the current provider (which caches it). */
export function tracerFrom(tracer: Tracer | string | undefined): Tracer {
  if (tracer === undefined) return defaultTracer();
  return typeof tracer === 'string' ? trace.getTracer(tracer) : tracer;
}

/**
 * True when `tracer` is the default tracer and no SDK is registered, so spans cost nothing and
 * helpers may take their no-op fast path. Call right after `tracerFrom`.
 */
export function isNoopDefault(tracer: Tracer): boolean {
  return cachedIsNoop && tracer === cachedTracer;
}
