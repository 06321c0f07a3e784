import type {
  Attributes,
  Context,
  Link,
  SpanContext,
  SpanKind,
  TimeInput,
  Tracer,
} from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';

/** Options of `withSpan`, `startSpan` and `traced`. */
export interface SpanHelperOptions {
  /** One of the five span kinds. Default INTERNAL. */
  kind?: SpanKind;
  attributes?: Attributes;
  /** Links, e.g. to the producer spans of the messages a consumer span handles (see `linkFrom`). */
  links?: Link[];
  startTime?: TimeInput;
  /** Start a new trace, ignoring any active span. */
  root?: boolean;
  /** An explicit parent instead of the active span: a Context, or a remote SpanContext. */
  parent?: Context | SpanContext;
  /** The tracer (or the name of the instrumentation scope) to use. Default `@sightline/node`. */
  tracer?: Tracer | string;
}

/** The context a new span starts in: the explicit parent if any, else the active context. */
export function parentContext(parent: Context | SpanContext | undefined): Context {
  if (parent === undefined) return context.active();
  if (typeof (parent as Context).getValue === 'function') return parent as Context;
  return trace.setSpanContext(context.active(), parent as SpanContext);
}
