import type {
  Attributes,
  AttributeValue,
  Exception,
  Link,
  Span,
  SpanContext,
  SpanStatus,
  TimeInput,
} from '@opentelemetry/api';
import { tracerFrom } from './default-tracer.js';
import { parentContext, type SpanHelperOptions } from './span-helper-options.js';
import { checkedName } from './with-span.js';

/** A span that ends when its scope ends: `using span = startSpan('step')`. */
export interface ScopedSpan extends Span, Disposable {}

/**
 * Starts a span for a scope without a callback: with `using`, it ends when the block exits,
 * however it exits. The span is not made active (Node has no way to scope that to a block without a
 * callback); pass it as `parent` to start children, or use `withSpan` when children should nest
 * by themselves.
 *
 * @example
 * ```ts
 * function parse(buffer: Buffer) {
 *   using span = startSpan('parse', { attributes: { 'bytes': buffer.length } });
 *   return decode(buffer); // the span ends here, also if decode throws
 * }
 * ```
 */
export function startSpan(name: string, options: SpanHelperOptions = {}): ScopedSpan {
  const span = tracerFrom(options.tracer).startSpan(
    checkedName(name, 'startSpan'),
    options,
    parentContext(options.parent),
  );
  return new DisposableSpan(span);
}

/** Delegates to the real span; disposing ends it unless it has ended already. */
class DisposableSpan implements ScopedSpan {
  constructor(private readonly span: Span) {}

  spanContext(): SpanContext {
    return this.span.spanContext();
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.span.setAttribute(key, value);
    return this;
  }
  setAttributes(attributes: Attributes): this {
    this.span.setAttributes(attributes);
    return this;
  }
  addEvent(
    name: string,
    attributesOrStartTime?: Attributes | TimeInput,
    startTime?: TimeInput,
  ): this {
    this.span.addEvent(name, attributesOrStartTime, startTime);
    return this;
  }
  addLink(link: Link): this {
    this.span.addLink(link);
    return this;
  }
  addLinks(links: Link[]): this {
    this.span.addLinks(links);
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.span.setStatus(status);
    return this;
  }
  updateName(name: string): this {
    this.span.updateName(name);
    return this;
  }
  end(endTime?: TimeInput): void {
    this.span.end(endTime);
  }
  isRecording(): boolean {
    return this.span.isRecording();
  }
  recordException(exception: Exception, time?: TimeInput): void {
    this.span.recordException(exception, time);
  }
  [Symbol.dispose](): void {
    if (this.span.isRecording()) this.span.end();
  }
}
