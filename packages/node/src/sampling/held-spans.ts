import type { Attributes, SpanContext, SpanKind } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { grown } from './grown-array.js';
import { HeldSpan } from './held-span.js';

// A slot's numbers: eight 32-bit words.
const ROW = 8;
const NEXT = 0; // the next slot of the trace, or -1
const FLAGS = 1; // kind, status code, and whether the span is held as it is
const DROPPED_ATTRIBUTES = 2;
const START = 3; // 3-4: seconds, nanoseconds
const END = 5; // 5-6

const KIND_MASK = 7;
const STATUS_SHIFT = 3;
const WHOLE = 1 << 5;

// A slot's references: the span's name, its attributes (undefined when empty) or the span itself
// when it is held as it is, its scope, its span context and its parent's.
const REFS = 5;
const NAME = 0;
const ATTRIBUTES = 1;
const SCOPE = 2;
const CONTEXT = 3;
const PARENT = 4;

const NANOS_PER_SECOND = 1e9;

/**
 * The finished spans the tail sampler holds, one per slot, without the span objects: a few numbers
 * in a typed array, and five references to what the span shares or must keep (its name, scope,
 * span context, parent's span context, and attributes when it has any). A buffered span outlives
 * young-generation collections, and the garbage collector copying, then promoting, the fourteen
 * or so objects of each SDK span (time arrays, status, attributes, events, links) was a large
 * part of what tail sampling cost under load; a span held here keeps two of them alive (its span
 * context and id). A kept span is rebuilt (`HeldSpan`) when it leaves; a dropped one costs nothing
 * more.
 *
 * A span that does not fit (events, links, a status message, times that are not whole
 * nanoseconds in 32 bits, another resource, anything that throws) is held as it is, and handed on
 * as it is.
 */
export class HeldSpans {
  private rows = new Int32Array(0);
  private refs: unknown[] = [];
  // The resource of the spans held as numbers: a process has one.
  private resource: Resource | undefined = undefined;

  /** Room for `n` slots, keeping what the first ones hold. */
  grow(n: number): void {
    const rows = new Int32Array(n * ROW);
    rows.set(this.rows);
    this.rows = rows;
    this.refs = grown(this.refs, n * REFS);
  }

  /** The slot after `s` in its trace. */
  next(s: number): number {
    return this.rows[ROW * s + NEXT] as number;
  }

  setNext(s: number, next: number): void {
    this.rows[ROW * s + NEXT] = next;
  }

  /** Holds `span` in slot `s` (whose `next` is set separately). */
  put(s: number, span: ReadableSpan): void {
    let fits = false;
    try {
      fits = this.capture(s, span);
    } catch {
      fits = false;
    }
    if (fits) return;
    releaseEndCallback(span);
    this.rows[ROW * s + FLAGS] = WHOLE;
    this.clear(s);
    this.refs[REFS * s + ATTRIBUTES] = span;
  }

  /** The span in slot `s`; the slot is empty afterwards. */
  take(s: number): ReadableSpan {
    const span =
      ((this.rows[ROW * s + FLAGS] as number) & WHOLE) !== 0
        ? (this.refs[REFS * s + ATTRIBUTES] as ReadableSpan)
        : this.rebuild(s);
    this.clear(s);
    return span;
  }

  /** Lets go of what slot `s` holds. */
  clear(s: number): void {
    const r = REFS * s;
    const refs = this.refs;
    refs[r + NAME] = undefined;
    refs[r + ATTRIBUTES] = undefined;
    refs[r + SCOPE] = undefined;
    refs[r + CONTEXT] = undefined;
    refs[r + PARENT] = undefined;
  }

  /** Writes the span into slot `s`; false, with the slot half-written, when it does not fit. */
  private capture(s: number, span: ReadableSpan): boolean {
    const status = span.status;
    if (
      span.events.length !== 0 ||
      span.links.length !== 0 ||
      span.droppedEventsCount !== 0 ||
      span.droppedLinksCount !== 0 ||
      status.message !== undefined
    )
      return false;
    const resource = span.resource;
    if (resource !== this.resource) {
      if (this.resource !== undefined) return false;
      this.resource = resource;
    }
    const kind = span.kind;
    const code = status.code;
    const dropped = span.droppedAttributesCount;
    const name = span.name;
    if (!(kind >= 0 && kind <= 4) || !(code >= 0 && code <= 2) || dropped >>> 0 !== dropped)
      return false;
    if (typeof name !== 'string') return false;
    // Whole seconds and nanoseconds in 32 bits, and the duration the SDK derives from them.
    const start = span.startTime;
    const end = span.endTime;
    const s0 = start[0];
    const n0 = start[1];
    const s1 = end[0];
    const n1 = end[1];
    if (s0 >>> 0 !== s0 || s1 >>> 0 !== s1 || n0 >>> 0 !== n0 || n1 >>> 0 !== n1) return false;
    if (n0 >= NANOS_PER_SECOND || n1 >= NANOS_PER_SECOND) return false;
    const duration = span.duration;
    const n = n1 - n0;
    if (duration[0] !== (n < 0 ? s1 - s0 - 1 : s1 - s0) || duration[1] !== (n < 0 ? n + 1e9 : n))
      return false;
    const attributes = span.attributes;
    let any = false;
    for (const _ in attributes) {
      any = true;
      break;
    }
    const rows = this.rows;
    const w = ROW * s;
    rows[w + FLAGS] = kind | (code << STATUS_SHIFT);
    rows[w + DROPPED_ATTRIBUTES] = dropped;
    rows[w + START] = s0;
    rows[w + START + 1] = n0;
    rows[w + END] = s1;
    rows[w + END + 1] = n1;
    const r = REFS * s;
    const refs = this.refs;
    refs[r + NAME] = name;
    refs[r + ATTRIBUTES] = any ? attributes : undefined;
    refs[r + SCOPE] = span.instrumentationScope;
    refs[r + CONTEXT] = span.spanContext();
    refs[r + PARENT] = span.parentSpanContext;
    return true;
  }

  private rebuild(s: number): ReadableSpan {
    const rows = this.rows;
    const w = ROW * s;
    const r = REFS * s;
    const refs = this.refs;
    const flags = rows[w + FLAGS] as number;
    const s0 = (rows[w + START] as number) >>> 0;
    const n0 = rows[w + START + 1] as number;
    const s1 = (rows[w + END] as number) >>> 0;
    const n1 = rows[w + END + 1] as number;
    const n = n1 - n0;
    return new HeldSpan(
      refs[r + NAME] as string,
      (flags & KIND_MASK) as SpanKind,
      refs[r + CONTEXT] as SpanContext,
      refs[r + PARENT] as SpanContext | undefined,
      [s0, n0],
      [s1, n1],
      n < 0 ? [s1 - s0 - 1, n + NANOS_PER_SECOND] : [s1 - s0, n],
      { code: (flags >>> STATUS_SHIFT) & 3 },
      (refs[r + ATTRIBUTES] as Attributes | undefined) ?? {},
      this.resource as Resource,
      refs[r + SCOPE] as InstrumentationScope,
      (rows[w + DROPPED_ATTRIBUTES] as number) >>> 0,
    );
  }
}

/**
 * The official SDK's span keeps its end-of-span metrics callback (a closure and an attributes
 * object, about 160 bytes) after `end()` has called it, and never calls it again. A span held as it
 * is lives long enough to be copied by the garbage collector, so let go of it. A span without that
 * field (another SDK) is left as it is.
 */
function releaseEndCallback(span: ReadableSpan): void {
  const s = span as unknown as { _recordEndMetrics?: unknown };
  if (typeof s._recordEndMetrics === 'function') s._recordEndMetrics = undefined;
}
