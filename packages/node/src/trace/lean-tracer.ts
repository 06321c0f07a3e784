import {
  type Context,
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TraceState,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { type IdGenerator, type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { LeanContext } from '../context/lean-context.js';
import { cleanLink, LeanSpan, type LeanTracerState } from './lean-span.js';
import { PooledIdGenerator } from './random-id-generator.js';
import {
  adoptStartAttributes,
  copyStartAttributes,
  limitStartAttributes,
  mergeSamplerAttributes,
} from './span-attributes.js';
import { validSpanContextOfSpan } from './span-context-validity.js';

/**
 * Set on `SpanOptions` by Sightline's own instrumentations: `attributes` is a fresh object the
 * span may keep as its own, with valid values only (strings, numbers, booleans, string arrays), so
 * it is not copied and validated again. Not for apps: a span would share the caller's object.
 */
export const OWNED_ATTRIBUTES: unique symbol = Symbol('sightline.ownedAttributes') as never;

export interface OwnedSpanOptions extends SpanOptions {
  [OWNED_ATTRIBUTES]?: boolean;
}

/**
 * The tracer behind Sightline's provider: the SDK tracer's `startSpan` rules (root option,
 * suppressed tracing, parent's trace id and trace state, sampler sees the cleaned attributes and
 * links, non-recording spans for NOT_RECORD), making `LeanSpan`s.
 */
export class LeanTracer implements Tracer {
  /** The id generator when it is Sightline's: its ids' bytes are known (see `LeanSpan`). */
  private readonly pooled: PooledIdGenerator | undefined;

  constructor(
    private readonly state: LeanTracerState,
    private readonly sampler: Sampler,
    private readonly ids: IdGenerator,
  ) {
    this.pooled = ids instanceof PooledIdGenerator ? ids : undefined;
  }

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = contextApi.active()): Span {
    if (options.root) ctx = trace.deleteSpan(ctx);
    // The API's root context holds nothing (a server span's parent, when the request carries no
    // trace context): two lookups in its Map spared.
    const empty = ctx === ROOT_CONTEXT;
    if (!empty && isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parentSpan = empty ? undefined : trace.getSpan(ctx);
    const validParent = parentSpan === undefined ? undefined : validSpanContextOfSpan(parentSpan);
    const pooled = this.pooled;
    const spanId = this.ids.generateSpanId();
    const spanIdBytes = pooled?.lastBytes;
    const spanIdAt = pooled === undefined ? 0 : pooled.lastAt;
    let traceId: string;
    let traceState: TraceState | undefined;
    let traceIdBytes: Uint8Array | undefined;
    let traceIdAt = 0;
    let parentIdBytes: Uint8Array | undefined;
    let parentIdAt = 0;
    if (validParent !== undefined) {
      traceId = validParent.traceId;
      traceState = validParent.traceState;
      if (parentSpan instanceof LeanSpan) {
        traceIdBytes = parentSpan.traceIdBytes;
        traceIdAt = parentSpan.traceIdAt;
        parentIdBytes = parentSpan.spanIdBytes;
        parentIdAt = parentSpan.spanIdAt;
      }
    } else {
      traceId = this.ids.generateTraceId();
      if (pooled !== undefined) {
        traceIdBytes = pooled.lastBytes;
        traceIdAt = pooled.lastAt;
      }
    }
    const kind = options.kind ?? SpanKind.INTERNAL;
    const limits = this.state.limits;
    const links: Link[] = [];
    if (options.links !== undefined) {
      for (const link of options.links) links.push(cleanLink(link, limits));
    }
    const attributes =
      (options as OwnedSpanOptions)[OWNED_ATTRIBUTES] === true
        ? adoptStartAttributes(options.attributes)
        : copyStartAttributes(options.attributes);
    const result = this.sampler.shouldSample(
      ctx,
      traceId,
      name,
      kind,
      attributes.attributes,
      links,
    );
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags:
        result.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
      traceState: result.traceState ?? traceState,
    };
    if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
    if (result.attributes !== undefined) mergeSamplerAttributes(attributes, result.attributes);
    limitStartAttributes(attributes, limits);
    // Past the link limit the last links are kept, as the SDK's span does.
    let droppedLinksCount = 0;
    let spanLinks = links;
    if (links.length > limits.linkCountLimit) {
      droppedLinksCount = links.length - limits.linkCountLimit;
      spanLinks = links.slice(droppedLinksCount);
    }
    return new LeanSpan(this.state, {
      spanContext,
      parentSpanContext: validParent,
      name,
      kind,
      attributes,
      links: spanLinks,
      droppedLinksCount,
      startTime: options.startTime,
      context: ctx,
      traceIdBytes,
      traceIdAt,
      spanIdBytes,
      spanIdAt,
      parentIdBytes,
      parentIdAt,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: F | SpanOptions,
    b?: F | Context,
    c?: F,
  ): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let parent: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a;
      fn = b;
    } else if (typeof c === 'function') {
      options = a;
      parent = b;
      fn = c;
    } else {
      return undefined;
    }
    const parentContext = parent ?? contextApi.active();
    const span = this.startSpan(name, options, parentContext);
    return contextApi.with(
      trace.setSpan(LeanContext.over(parentContext), span),
      fn as (span: Span) => ReturnType<F>,
      undefined,
      span,
    );
  }
}
