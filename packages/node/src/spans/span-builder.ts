import type {
  Attributes,
  AttributeValue,
  Context,
  Link,
  Span,
  SpanContext,
  SpanKind,
  TimeInput,
  Tracer,
} from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { tracerFrom } from './default-tracer.js';
import { parentContext, type SpanHelperOptions } from './span-helper-options.js';
import { type ScopedSpan, startSpan } from './start-span.js';
import { runInSpan } from './with-span.js';

/**
 * A fluent way to describe a span before starting it: kind, attributes, links, events, explicit
 * parent or a new root, start time. Finish with `run(fn)` (active inside `fn`, like `withSpan`),
 * `start()` (a plain span you end yourself) or `startScoped()` (ends with `using`).
 *
 * @example
 * ```ts
 * const result = await spanBuilder('process batch')
 *   .kind(SpanKind.CONSUMER)
 *   .attributes({ 'messaging.batch.message_count': messages.length })
 *   .links(messages.map((m) => linkFrom(m.headers)))
 *   .run(async () => handle(messages));
 * ```
 */
export function spanBuilder(name: string): SpanBuilder {
  return new SpanBuilder(name);
}

export class SpanBuilder {
  private readonly options: SpanHelperOptions & { attributes: Attributes; links: Link[] } = {
    attributes: {},
    links: [],
  };
  private readonly events: Array<{ name: string; attributes?: Attributes; time?: TimeInput }> = [];

  constructor(private readonly name: string) {}

  kind(kind: SpanKind): this {
    this.options.kind = kind;
    return this;
  }
  attribute(key: string, value: AttributeValue): this {
    this.options.attributes[key] = value;
    return this;
  }
  attributes(attributes: Attributes): this {
    Object.assign(this.options.attributes, attributes);
    return this;
  }
  /** Links to another span, e.g. the producer of a message. */
  link(target: SpanContext | Link, attributes?: Attributes): this {
    const link =
      'context' in target ? target : { context: target, ...(attributes ? { attributes } : {}) };
    this.options.links.push(link);
    return this;
  }
  links(links: Array<SpanContext | Link>): this {
    for (const link of links) this.link(link);
    return this;
  }
  /** An event recorded right after the span starts (at `time`, default now). */
  event(name: string, attributes?: Attributes, time?: TimeInput): this {
    this.events.push({
      name,
      ...(attributes ? { attributes } : {}),
      ...(time === undefined ? {} : { time }),
    });
    return this;
  }
  parent(parent: Context | SpanContext): this {
    this.options.parent = parent;
    this.options.root = false;
    return this;
  }
  /** Start a new trace, whatever span is active. */
  root(): this {
    this.options.root = true;
    this.options.parent = undefined;
    return this;
  }
  startTime(time: TimeInput): this {
    this.options.startTime = time;
    return this;
  }
  tracer(tracer: Tracer | string): this {
    this.options.tracer = tracer;
    return this;
  }

  /** Starts the span without making it active; you end it. */
  start(): Span {
    const span = tracerFrom(this.options.tracer).startSpan(
      this.name,
      this.options,
      parentContext(this.options.parent),
    );
    this.addEvents(span);
    return span;
  }

  /** Starts the span for `using`: it ends when the scope exits. */
  startScoped(): ScopedSpan {
    const span = startSpan(this.name, this.options);
    this.addEvents(span);
    return span;
  }

  /** Runs `fn` with the span active, recording errors and ending it as `withSpan` does. */
  run<T>(fn: (span: Span) => T): T {
    const parent = parentContext(this.options.parent);
    const span = tracerFrom(this.options.tracer).startSpan(this.name, this.options, parent);
    this.addEvents(span);
    return context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
  }

  private addEvents(span: Span): void {
    for (const event of this.events) span.addEvent(event.name, event.attributes, event.time);
  }
}
