import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

/**
 * A getter that can tell, without reading each value, whether a carrier holds any of some headers
 * (Sightline's getter of a server request's `rawHeaders` is one).
 */
export interface PresenceGetter<Carrier = unknown> extends TextMapGetter<Carrier> {
  /** Whether `carrier` has a header named (case-insensitively) one of `names`, given in lower case. */
  hasAny(carrier: Carrier, names: readonly string[]): boolean;
}

function isPresenceGetter(getter: TextMapGetter): getter is PresenceGetter {
  return typeof (getter as Partial<PresenceGetter>).hasAny === 'function';
}

/**
 * A propagator whose extract() is known to read only `headers`: given a getter that can tell, a
 * carrier with none of them is answered with the context unchanged, without running the inner
 * propagators (most requests to a service at the edge carry no trace context). The result is the
 * one the inner propagator would give, which returns the context as it is when its headers are absent.
 */
export class HeaderListPropagator implements TextMapPropagator {
  constructor(
    private readonly inner: TextMapPropagator,
    /** Lower-case names of every header the inner extract() reads. */
    readonly headers: readonly string[],
  ) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    if (isPresenceGetter(getter) && !getter.hasAny(carrier, this.headers)) return context;
    return this.inner.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}
