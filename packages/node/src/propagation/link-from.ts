import {
  type Attributes,
  type Context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import type { Carrier } from './carriers.js';
import { extract } from './inject-extract.js';

/**
 * A span link to the span context held by `source`: a carrier (message headers, read with the
 * global propagator, as `extract` does), a `Context`, or a `SpanContext`. Returns `undefined` when
 * there is no valid span context, so a message without trace headers adds no link.
 *
 * Made for batch consumers: one consumer span linked to the N producer spans, instead of N
 * parents a span cannot have.
 *
 * @example
 * ```ts
 * const links = messages
 *   .map((m) => linkFrom(m.headers, { 'messaging.message.id': m.id }))
 *   .filter((link) => link !== undefined);
 * await withSpan('orders process', { kind: SpanKind.CONSUMER, links }, () => handle(messages));
 * ```
 */
export function linkFrom(
  source: Carrier | Context | SpanContext | null | undefined,
  attributes?: Attributes,
): Link | undefined {
  const spanContext = spanContextOf(source);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return attributes === undefined ? { context: spanContext } : { context: spanContext, attributes };
}

function spanContextOf(source: unknown): SpanContext | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  if (isContext(source)) return trace.getSpanContext(source);
  if (isSpanContext(source)) return source;
  // A carrier: read on its own, so nothing from the active context leaks into the link.
  return trace.getSpanContext(extract(source as Carrier, ROOT_CONTEXT));
}

function isContext(value: object): value is Context {
  return typeof (value as Partial<Context>).getValue === 'function';
}

function isSpanContext(value: object): value is SpanContext {
  const candidate = value as Partial<SpanContext>;
  return (
    typeof candidate.traceId === 'string' &&
    typeof candidate.spanId === 'string' &&
    typeof candidate.traceFlags === 'number'
  );
}
