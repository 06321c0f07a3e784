import type { Attributes, HrTime, Link, SpanContext, SpanKind } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

/**
 * A finished span as it crosses from the app's thread to the export worker: only plain data, so
 * the structured clone is cheap (about a third of what encoding it to OTLP costs on that thread).
 * The resource and the scope travel as small integer ids; their contents go once.
 */
export interface TransferSpan {
  n: string;
  k: SpanKind;
  t: string;
  s: string;
  f: number;
  ts?: string;
  p?: string;
  pr?: boolean;
  st: HrTime;
  et: HrTime;
  a: Attributes;
  sc: number;
  sm?: string;
  ev?: TimedEvent[];
  li?: TransferLink[];
  da: number;
  de: number;
  dl: number;
  r: number;
  i: number;
}

interface TransferLink {
  t: string;
  s: string;
  f: number;
  ts?: string;
  a?: Attributes;
  da?: number;
}

/** A resource or scope first seen by the sender, with the id later spans refer to it by. */
export interface TransferDefinitions {
  resources: Array<[id: number, attributes: Attributes, schemaUrl: string | undefined]>;
  scopes: Array<[id: number, scope: InstrumentationScope]>;
}

/** Gives resources and scopes small ids on the sending side, and says which ones are new. */
export class TransferEncoder {
  private readonly resourceIds = new Map<Resource, number>();
  private readonly scopeIds = new Map<InstrumentationScope, number>();
  private pending: TransferDefinitions = { resources: [], scopes: [] };

  encode(span: ReadableSpan): TransferSpan {
    const ctx = span.spanContext();
    const parent = span.parentSpanContext;
    const out: TransferSpan = {
      n: span.name,
      k: span.kind,
      t: ctx.traceId,
      s: ctx.spanId,
      f: ctx.traceFlags,
      st: span.startTime,
      et: span.endTime,
      a: span.attributes,
      sc: span.status.code,
      da: span.droppedAttributesCount,
      de: span.droppedEventsCount,
      dl: span.droppedLinksCount,
      r: this.resourceId(span.resource),
      i: this.scopeId(span.instrumentationScope),
    };
    const traceState = ctx.traceState?.serialize();
    if (traceState) out.ts = traceState;
    if (parent?.spanId) {
      out.p = parent.spanId;
      if (parent.isRemote) out.pr = true;
    }
    if (span.status.message) out.sm = span.status.message;
    if (span.events.length > 0) out.ev = span.events;
    if (span.links.length > 0) out.li = span.links.map(encodeLink);
    return out;
  }

  /** The definitions made since the last call, to send ahead of the spans that use them. */
  takeDefinitions(): TransferDefinitions | undefined {
    const { pending } = this;
    if (pending.resources.length === 0 && pending.scopes.length === 0) return undefined;
    this.pending = { resources: [], scopes: [] };
    return pending;
  }

  private resourceId(resource: Resource): number {
    let id = this.resourceIds.get(resource);
    if (id === undefined) {
      id = this.resourceIds.size;
      this.resourceIds.set(resource, id);
      this.pending.resources.push([id, { ...resource.attributes }, resource.schemaUrl]);
    }
    return id;
  }

  private scopeId(scope: InstrumentationScope): number {
    let id = this.scopeIds.get(scope);
    if (id === undefined) {
      id = this.scopeIds.size;
      this.scopeIds.set(scope, id);
      this.pending.scopes.push([
        id,
        { name: scope.name, version: scope.version, schemaUrl: scope.schemaUrl },
      ]);
    }
    return id;
  }
}

function encodeLink(link: Link): TransferLink {
  const ctx = link.context;
  const out: TransferLink = { t: ctx.traceId, s: ctx.spanId, f: ctx.traceFlags };
  const traceState = ctx.traceState?.serialize();
  if (traceState) out.ts = traceState;
  if (link.attributes) out.a = link.attributes;
  if (link.droppedAttributesCount) out.da = link.droppedAttributesCount;
  return out;
}

/**
 * Rebuilds spans on the worker's side, shaped as the official OTLP exporters read a
 * `ReadableSpan`. Resources and scopes are kept by id, one object each, because the exporters
 * group spans by the identity of those objects.
 */
export class TransferDecoder {
  private readonly resources = new Map<number, Resource>();
  private readonly scopes = new Map<number, InstrumentationScope>();

  define(definitions: TransferDefinitions): void {
    for (const [id, attributes, schemaUrl] of definitions.resources) {
      this.resources.set(id, plainResource(attributes, schemaUrl));
    }
    for (const [id, scope] of definitions.scopes) this.scopes.set(id, scope);
  }

  decode(span: TransferSpan): ReadableSpan {
    const resource = this.resources.get(span.r) ?? plainResource({}, undefined);
    const scope = this.scopes.get(span.i) ?? { name: 'unknown' };
    const context: SpanContext = {
      traceId: span.t,
      spanId: span.s,
      traceFlags: span.f,
      ...(span.ts === undefined ? {} : { traceState: serializedTraceState(span.ts) }),
    };
    const duration: HrTime = hrDiff(span.st, span.et);
    return {
      name: span.n,
      kind: span.k,
      spanContext: () => context,
      parentSpanContext:
        span.p === undefined
          ? undefined
          : { traceId: span.t, spanId: span.p, traceFlags: span.f, isRemote: span.pr === true },
      startTime: span.st,
      endTime: span.et,
      duration,
      ended: true,
      status: span.sm === undefined ? { code: span.sc } : { code: span.sc, message: span.sm },
      attributes: span.a,
      links: (span.li ?? []).map((link) => ({
        context: {
          traceId: link.t,
          spanId: link.s,
          traceFlags: link.f,
          ...(link.ts === undefined ? {} : { traceState: serializedTraceState(link.ts) }),
        },
        ...(link.a === undefined ? {} : { attributes: link.a }),
        ...(link.da === undefined ? {} : { droppedAttributesCount: link.da }),
      })),
      events: span.ev ?? [],
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: span.da,
      droppedEventsCount: span.de,
      droppedLinksCount: span.dl,
    };
  }
}

function hrDiff(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

/** The exporters only ever call `serialize()` on a trace state. */
function serializedTraceState(value: string): NonNullable<SpanContext['traceState']> {
  const unsupported = (): never => {
    throw new Error('a transferred trace state is read-only');
  };
  return {
    serialize: () => value,
    get: unsupported,
    set: unsupported,
    unset: unsupported,
  };
}

function plainResource(attributes: Attributes, schemaUrl: string | undefined): Resource {
  // The exporters read `attributes` and `schemaUrl`; the rest of Resource is never called there.
  return { attributes, schemaUrl, asyncAttributesPending: false } as unknown as Resource;
}
