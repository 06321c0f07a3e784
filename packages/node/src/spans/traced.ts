import type { Span } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { tracerFrom } from './default-tracer.js';
import { parentContext, type SpanHelperOptions } from './span-helper-options.js';
import { runInSpan } from './with-span.js';

export interface TracedOptions extends SpanHelperOptions {
  /** The span name. Default `Class.method`. */
  name?: string;
}

/**
 * A standard (TC39) method decorator: every call runs in a span named `Class.method`, sync or
 * async, with the same error handling as `withSpan`. Works on instance and static methods.
 *
 * @example
 * ```ts
 * class Checkout {
 *   @traced()
 *   async placeOrder(cart: Cart) { ... }            // span "Checkout.placeOrder"
 *
 *   @traced({ name: 'charge card', kind: SpanKind.CLIENT })
 *   async charge(card: Card) { ... }
 * }
 * ```
 */
export function traced(options: TracedOptions = {}) {
  return function decorate<This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    decoratorContext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return {
    const methodName = String(decoratorContext.name);
    // The class name is only known from `this` (a subclass instance names its own class); the
    // name is rebuilt only when the class differs from the previous call's.
    let lastOwner: string | undefined;
    let spanName = options.name ?? methodName;
    return function tracedMethod(this: This, ...args: Args): Return {
      if (options.name === undefined) {
        const owner = decoratorContext.static
          ? (this as { name?: string }).name
          : (this as object | undefined)?.constructor?.name;
        if (owner !== lastOwner) {
          lastOwner = owner;
          spanName = owner ? `${owner}.${methodName}` : methodName;
        }
      }
      const parent = parentContext(options.parent);
      const span = tracerFrom(options.tracer).startSpan(spanName, options, parent);
      return context.with(
        trace.setSpan(parent, span),
        runInSpan<Return>,
        undefined,
        span,
        (_span: Span) => method.apply(this, args),
      );
    };
  };
}
