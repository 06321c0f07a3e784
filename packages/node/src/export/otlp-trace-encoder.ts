import type { Attributes, AttributeValue, HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { LeanSpan } from '../trace/lean-span.js';

// Wire types (protobuf encoding).
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;
const tag = (field: number, wire: number): number => (field << 3) | wire;

// W3C trace flags in the low byte; bits 8 and 9 say whether the parent (or the link) is remote.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

const INITIAL_CAPACITY = 64 * 1024;
const EMPTY = new Uint8Array(0);
/** Buffers kept for reuse: the export worker has at most a few batches in flight. */
const SPARE_BUFFERS = 4;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
const textEncoder = new TextEncoder();
// `Object.prototype.hasOwnProperty.call(o, k)` on the key of a `for-in` over `o` is a form V8
// optimises; `Object.hasOwn` was a builtin call for every key (bench/otlp-encode: about 10% less
// per server span).
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Encodes finished spans as an OTLP `ExportTraceServiceRequest` in protobuf: byte for byte what the
 * official `ProtobufTraceSerializer` writes (a test holds it to that), at a fraction of its cost on
 * the app's thread. Lengths are patched in place, ids converted from hex without an allocation, each
 * resource and scope encoded once.
 *
 * Spans can be appended one by one as they end (`append()`), into a buffer per resource and scope,
 * and the request taken when the batch is due (`take()`): the span objects are garbage as soon as
 * they end, instead of surviving in a queue until the batch is exported (the garbage collector
 * copying and promoting them was the largest cost of export on a busy server). `encode()` does both
 * for a batch at hand.
 *
 * `take()` hands over the buffer it wrote the request into, so that it can be transferred to the
 * export worker without a copy; `reuse()` takes one back once nothing reads it (allocating a fresh
 * buffer per batch costs as much as encoding a hundred spans).
 */
export class OtlpTraceEncoder {
  // The buffer being written: a segment's while appending, the request's while taking.
  private buf: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  private pos = 0;
  /** Spans appended, per resource then scope, in order of first appearance (as the official groups them). */
  private readonly groups = new Map<Resource, Map<InstrumentationScope, Segment>>();
  private readonly freeSegments: Segment[] = [];
  private appended = 0;
  /** The size of the last request's buffer, for the next one. */
  private capacity = INITIAL_CAPACITY;
  private readonly spare: ArrayBuffer[] = [];
  private readonly resources = new WeakMap<Resource, Uint8Array>();
  private readonly scopes = new WeakMap<InstrumentationScope, Uint8Array>();
  /**
   * The last short attribute encoded under each key, as bytes to copy when the next span has the
   * same value: a server's spans repeat most of theirs (method, scheme, host, port, status), and
   * one native copy costs a fraction of encoding the key and value character by character. A key
   * whose value changed 8 spans in a row is encoded every time (only looked up) until the next reset.
   */
  private readonly pairs = new Map<string, EncodedPair>();
  private sinceReset = 0;

  /** The spans as one request; the bytes (and their whole `ArrayBuffer`) now belong to the caller. */
  encode(spans: readonly ReadableSpan[]): Uint8Array<ArrayBuffer> {
    for (const span of spans) this.append(span);
    return this.take();
  }

  /** Spans appended since the last `take()`. */
  get spanCount(): number {
    return this.appended;
  }

  /** Encodes one span into the request being built. A span that fails to encode is left out. */
  append(span: ReadableSpan): void {
    if (++this.sinceReset > PAIRS_RESET_SPANS) {
      this.sinceReset = 0;
      this.pairs.clear();
    }
    const segment = this.segmentOf(span.resource, span.instrumentationScope);
    this.buf = segment.buf;
    this.view = segment.view;
    this.pos = segment.pos;
    this.span(span);
    // Only now, so that a span that threw half-way leaves nothing behind.
    segment.buf = this.buf;
    segment.view = this.view;
    segment.pos = this.pos;
    this.appended++;
  }

  /** The request of every span appended since the last call; its buffer belongs to the caller. */
  take(): Uint8Array<ArrayBuffer> {
    return this.finish(this.seal());
  }

  /**
   * Closes the batch of every span appended so far, without writing the request yet: its resource
   * may still be waiting for asynchronous attributes, which `finish()` must see.
   */
  seal(): SealedSpans {
    const sealed: SealedSpans = { groups: new Map(this.groups), spanCount: this.appended };
    this.groups.clear();
    this.appended = 0;
    return sealed;
  }

  /** The request of a sealed batch; its buffer belongs to the caller. */
  finish(sealed: SealedSpans): Uint8Array<ArrayBuffer> {
    const spare = this.spare.pop();
    this.buf = spare === undefined ? new Uint8Array(this.capacity) : new Uint8Array(spare);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
    for (const [resource, byScope] of sealed.groups) {
      // A span that failed to encode can leave its scope with none.
      for (const [scope, segment] of byScope) {
        if (segment.pos > 0) continue;
        byScope.delete(scope);
        this.release(segment);
      }
      if (byScope.size === 0) continue;
      this.tag(1, LEN); // ExportTraceServiceRequest.resource_spans
      const resourceSpans = this.begin(3);
      this.raw(this.resourceBytes(resource));
      for (const [scope, segment] of byScope) {
        this.tag(2, LEN); // ResourceSpans.scope_spans
        const scopeStart = this.begin(3);
        this.raw(this.scopeBytes(scope));
        this.raw(segment.buf.subarray(0, segment.pos));
        if (scope.schemaUrl) {
          this.tag(3, LEN);
          this.str(scope.schemaUrl);
        }
        this.end(scopeStart, 3);
        this.release(segment);
      }
      if (resource.schemaUrl) {
        this.tag(3, LEN);
        this.str(resource.schemaUrl);
      }
      this.end(resourceSpans, 3);
    }
    sealed.groups.clear();
    // The next request's buffer fits this one's size: one huge batch must not make every later
    // buffer huge (they are allocated afresh while sends fail and nothing comes back).
    this.capacity = Math.max(INITIAL_CAPACITY, nextPowerOfTwo(this.pos));
    const request = new Uint8Array(this.buf.buffer as ArrayBuffer, 0, this.pos);
    this.buf = EMPTY;
    this.view = new DataView(EMPTY.buffer);
    return request;
  }

  /** Takes back a buffer that `take()` returned, once nothing reads it any more. */
  reuse(buffer: ArrayBuffer): void {
    const { byteLength } = buffer;
    if (
      byteLength >= INITIAL_CAPACITY &&
      byteLength <= 4 * this.capacity &&
      this.spare.length < SPARE_BUFFERS
    ) {
      this.spare.push(buffer);
    }
  }

  /** Keeps a segment for the next batch, unless one large batch grew it far past the usual. */
  private release(segment: Segment): void {
    if (segment.buf.length > MAX_KEPT_SEGMENT) return;
    segment.pos = 0;
    this.freeSegments.push(segment);
  }

  private segmentOf(resource: Resource, scope: InstrumentationScope): Segment {
    let byScope = this.groups.get(resource);
    if (byScope === undefined) {
      byScope = new Map();
      this.groups.set(resource, byScope);
    }
    let segment = byScope.get(scope);
    if (segment === undefined) {
      segment = this.freeSegments.pop() ?? newSegment();
      byScope.set(scope, segment);
    }
    return segment;
  }

  private span(span: ReadableSpan): void {
    const ctx = span.spanContext();
    this.tag(2, LEN); // ScopeSpans.spans
    const start = this.begin(2);
    const parent = span.parentSpanContext;
    // A Sightline span keeps its ids' bytes where they were drawn: copied, not decoded from hex.
    const lean = span instanceof LeanSpan ? span : undefined;
    this.tag(1, LEN);
    this.id(ctx.traceId, lean?.traceIdBytes, lean?.traceIdAt ?? 0);
    this.tag(2, LEN);
    this.id(ctx.spanId, lean?.spanIdBytes, lean?.spanIdAt ?? 0);
    this.traceState(ctx);
    if (parent?.spanId) {
      this.tag(4, LEN);
      this.id(parent.spanId, lean?.parentIdBytes, lean?.parentIdAt ?? 0);
    }
    this.tag(5, LEN);
    this.str(span.name);
    // OTLP's SpanKind counts from SPAN_KIND_UNSPECIFIED = 0; the API's from INTERNAL = 0.
    const kind = span.kind == null ? 0 : span.kind + 1;
    if (kind !== 0) {
      this.tag(6, VARINT);
      this.varint(kind);
    }
    this.tag(7, I64);
    this.time(span.startTime);
    this.tag(8, I64);
    this.time(span.endTime);
    if (span.attributes) this.attributes(span.attributes, 9);
    this.tag(10, VARINT);
    this.varint(span.droppedAttributesCount);
    for (const event of span.events) this.event(event);
    this.tag(12, VARINT);
    this.varint(span.droppedEventsCount);
    for (const link of span.links) this.link(link);
    this.tag(14, VARINT);
    this.varint(span.droppedLinksCount);
    this.tag(15, LEN); // Status
    const status = this.begin(1);
    if (span.status.message) {
      this.tag(2, LEN);
      this.str(span.status.message);
    }
    this.tag(3, VARINT);
    this.varint(span.status.code);
    this.end(status, 1);
    this.tag(16, I32);
    this.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
    this.end(start, 2);
  }

  private event(event: TimedEvent): void {
    this.tag(11, LEN);
    const start = this.begin(1);
    this.tag(1, I64);
    this.time(event.time);
    this.tag(2, LEN);
    this.str(event.name);
    if (event.attributes) this.attributes(event.attributes, 3);
    this.tag(4, VARINT);
    this.varint(event.droppedAttributesCount || 0);
    this.end(start, 1);
  }

  /** Fields 1-3 of a Span and of a Span.Link alike: trace_id, span_id, trace_state. */
  private context(ctx: SpanContext): void {
    this.tag(1, LEN);
    this.hex(ctx.traceId);
    this.tag(2, LEN);
    this.hex(ctx.spanId);
    this.traceState(ctx);
  }

  private traceState(ctx: SpanContext): void {
    const traceState = ctx.traceState?.serialize();
    if (traceState) {
      this.tag(3, LEN);
      this.str(traceState);
    }
  }

  private link(link: Link): void {
    const ctx = link.context;
    this.tag(13, LEN);
    const start = this.begin(1);
    this.context(ctx);
    if (link.attributes) this.attributes(link.attributes, 4);
    this.tag(5, VARINT);
    this.varint(link.droppedAttributesCount || 0);
    this.tag(6, I32);
    this.fixed32(spanFlags(ctx.traceFlags, ctx.isRemote));
    this.end(start, 1);
  }

  private attributes(attributes: Attributes, field: number): void {
    const fieldTag = tag(field, LEN);
    const pairs = this.pairs;
    for (const key in attributes) {
      if (!hasOwn.call(attributes, key)) continue;
      const value = attributes[key];
      const pair = pairs.get(key);
      if (pair !== undefined && !pair.volatile && pair.value === value) {
        pair.misses = 0;
        this.copyPair(fieldTag, pair.bytes);
        continue;
      }
      const start = this.pos;
      if (this.shortKeyValue(fieldTag, key, value)) {
        if (pair === undefined) {
          if (pairs.size < MAX_CACHED_KEYS) {
            pairs.set(key, {
              value,
              bytes: this.buf.slice(start + 1, this.pos),
              misses: 0,
              volatile: false,
            });
          }
        } else if (!pair.volatile) {
          // A key whose value keeps changing (a path with ids in it) is no longer copied.
          if (++pair.misses > VOLATILE_MISSES) pair.volatile = true;
          else {
            pair.value = value;
            pair.bytes = this.buf.slice(start + 1, this.pos);
          }
        }
        continue;
      }
      this.tag(field, LEN);
      this.keyValue(key, value);
    }
  }

  /** A `KeyValue` encoded earlier (everything after its field tag), written again. */
  private copyPair(fieldTag: number, bytes: Uint8Array): void {
    this.ensure(bytes.length + 1);
    this.buf[this.pos] = fieldTag;
    this.buf.set(bytes, this.pos + 1);
    this.pos += bytes.length + 1;
  }

  /**
   * The common attribute (an ASCII key with a short ASCII string, a small integer or a boolean)
   * in one pass, every length known up front. False, with nothing written, for any other.
   */
  private shortKeyValue(fieldTag: number, key: string, value: unknown): boolean {
    const keyLength = key.length;
    let valueLength: number; // of the AnyValue message
    if (typeof value === 'string') valueLength = 2 + value.length;
    else if (
      typeof value === 'number' &&
      value >= 0 &&
      value <= 0x7fffffff &&
      (value | 0) === value
    )
      valueLength = 1 + varintSize(value);
    else if (typeof value === 'boolean') valueLength = 2;
    else return false;
    const pairLength = 2 + keyLength + 2 + valueLength;
    if (pairLength > 127) return false;
    this.ensure(pairLength + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = fieldTag;
    buf[p++] = pairLength;
    buf[p++] = 0x0a; // KeyValue.key
    buf[p++] = keyLength;
    for (let i = 0; i < keyLength; i++) {
      const c = key.charCodeAt(i);
      if (c > 127) return false;
      buf[p++] = c;
    }
    buf[p++] = 0x12; // KeyValue.value
    buf[p++] = valueLength;
    if (typeof value === 'string') {
      const n = value.length;
      buf[p++] = 0x0a; // AnyValue.string_value
      buf[p++] = n;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 127) return false;
        buf[p++] = c;
      }
    } else if (typeof value === 'number') {
      buf[p++] = 0x18; // AnyValue.int_value
      let v = value;
      while (v > 127) {
        buf[p++] = (v & 127) | 128;
        v >>>= 7;
      }
      buf[p++] = v;
    } else {
      buf[p++] = 0x10; // AnyValue.bool_value
      buf[p++] = value ? 1 : 0;
    }
    this.pos = p;
    return true;
  }

  private keyValue(key: string, value: unknown): void {
    const start = this.begin(1);
    this.tag(1, LEN);
    this.str(key);
    this.tag(2, LEN);
    const valueStart = this.begin(1);
    this.anyValue(value);
    this.end(valueStart, 1);
    this.end(start, 1);
  }

  /** An `AnyValue`'s fields, as the official serializer maps JavaScript values to them. */
  private anyValue(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.tag(1, LEN);
        this.str(value);
        return;
      case 'boolean':
        this.tag(2, VARINT);
        this.varint(value ? 1 : 0);
        return;
      case 'number':
        if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
          this.tag(3, VARINT);
          this.int64(value);
        } else {
          this.tag(4, I64);
          this.double(value);
        }
        return;
      case 'object':
        break;
      default:
        return; // undefined (and what attributes cannot hold) is an empty AnyValue
    }
    if (value instanceof Uint8Array) {
      this.tag(7, LEN);
      this.varint(value.length);
      this.raw(value);
    } else if (Array.isArray(value)) {
      this.tag(5, LEN); // ArrayValue
      const start = this.begin(1);
      for (const item of value as AttributeValue[]) {
        this.tag(1, LEN);
        const itemStart = this.begin(1);
        this.anyValue(item);
        this.end(itemStart, 1);
      }
      this.end(start, 1);
    } else if (value !== null) {
      this.tag(6, LEN); // KeyValueList
      const start = this.begin(1);
      const record = value as Record<string, unknown>;
      for (const key in record) {
        if (!hasOwn.call(record, key)) continue;
        this.tag(1, LEN);
        this.keyValue(key, record[key]);
      }
      this.end(start, 1);
    }
  }

  /** `tag(1) Resource` for this resource, encoded once (a resource never changes once resolved). */
  private resourceBytes(resource: Resource): Uint8Array {
    let bytes = this.resources.get(resource);
    if (bytes === undefined) {
      bytes = this.detached(() => {
        this.tag(1, LEN);
        const start = this.begin(2);
        if (resource.attributes) this.attributes(resource.attributes, 1);
        this.tag(2, VARINT);
        this.varint(0);
        this.end(start, 2);
      });
      // Attributes still arriving from an asynchronous detector: encode again next time.
      if (resource.asyncAttributesPending !== true) this.resources.set(resource, bytes);
    }
    return bytes;
  }

  /** `tag(1) InstrumentationScope` for this scope, encoded once. */
  private scopeBytes(scope: InstrumentationScope): Uint8Array {
    let bytes = this.scopes.get(scope);
    if (bytes === undefined) {
      bytes = this.detached(() => {
        const { attributes, droppedAttributesCount } = scope as InstrumentationScope & {
          attributes?: Attributes;
          droppedAttributesCount?: number;
        };
        this.tag(1, LEN);
        const start = this.begin(2);
        this.tag(1, LEN);
        this.str(scope.name);
        if (scope.version) {
          this.tag(2, LEN);
          this.str(scope.version);
        }
        if (attributes) this.attributes(attributes, 3);
        if (droppedAttributesCount) {
          this.tag(4, VARINT);
          this.varint(droppedAttributesCount);
        }
        this.end(start, 2);
      });
      this.scopes.set(scope, bytes);
    }
    return bytes;
  }

  /** Runs `write` at the end of the buffer and returns a copy of what it wrote, leaving `pos` as it was. */
  private detached(write: () => void): Uint8Array {
    const pos = this.pos;
    write();
    const bytes = this.buf.slice(pos, this.pos);
    this.pos = pos;
    return bytes;
  }

  // --- primitives -------------------------------------------------------------------------------

  private ensure(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buf.length) return;
    let size = Math.max(this.buf.length * 2, 1024);
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private tag(field: number, wire: number): void {
    this.varint(tag(field, wire));
  }

  /** Reserves `reserved` bytes for a length that `end()` fills in once the message is written. */
  private begin(reserved: number): number {
    this.ensure(reserved);
    const at = this.pos;
    this.pos += reserved;
    return at;
  }

  /** Writes the length of what followed `begin()`, moving the message when the guess was wrong. */
  private end(at: number, reserved: number): void {
    const length = this.pos - at - reserved;
    const size = varintSize(length);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buf.copyWithin(at + size, at + reserved, this.pos);
      this.pos += size - reserved;
    }
    const buf = this.buf;
    let v = length;
    let p = at;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p] = v;
  }

  /** An unsigned varint of at most 32 bits. */
  private varint(value: number): void {
    this.ensure(5);
    const buf = this.buf;
    let v = value >>> 0;
    while (v > 127) {
      buf[this.pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  /** An int64 varint (negative numbers in ten bytes, two's complement), as the official writer does. */
  private int64(value: number): void {
    if (value >= 0 && value <= 0xffffffff) {
      this.varint(value);
      return;
    }
    this.ensure(10);
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = (value / 4294967296) >>> 0;
    } else {
      const abs = Math.abs(value);
      low = ~(abs >>> 0) >>> 0;
      high = ~((abs / 4294967296) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    const buf = this.buf;
    while (high > 0 || low > 127) {
      buf[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low & 127;
  }

  private fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  private double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /**
   * `[seconds, nanoseconds]` as fixed64 nanoseconds. seconds × 10⁹ passes 2⁵³, so it is taken as
   * (seconds × 5⁹) × 2⁹: the first factor is exact for any 32-bit seconds, the second a shift.
   */
  private time(time: HrTime): void {
    this.ensure(8);
    const seconds = time[0];
    if (!(Number.isInteger(seconds) && seconds >= 0 && seconds <= 0xffffffff)) {
      this.timeAsOfficial(time);
      return;
    }
    const m = seconds * 1953125;
    // m < 2⁵³, so m / 2²³ and the product back are exact: the remainder without `%`, which on a
    // double is a C call (fmod), 20 ns of the 26 this conversion took in a loop.
    const q = Math.floor(m / 8388608);
    const lowPart = (m - q * 8388608) * 512 + time[1];
    const low = lowPart >>> 0;
    const high = (q + Math.floor(lowPart / 4294967296)) >>> 0;
    this.view.setUint32(this.pos, low, true);
    this.view.setUint32(this.pos + 4, high, true);
    this.pos += 8;
  }

  /**
   * The official serializer's conversion, for the times the fast one does not cover exactly
   * (fractional, negative or past-2106 seconds, which only a user-supplied time can have): the same
   * bytes as the official, whatever they are.
   */
  private timeAsOfficial(time: HrTime): void {
    const [seconds, nanos] = time;
    const lowSeconds = seconds & 65535;
    const highSeconds = (seconds / 65536) >>> 0;
    const fromLow = lowSeconds * 1e9;
    const fromHigh = highSeconds * 1e9;
    const low32 = (fromLow >>> 0) + (((fromHigh & 65535) * 65536) >>> 0) + nanos;
    const high32 =
      (Math.floor(fromLow / 4294967296) +
        ((fromHigh / 65536) >>> 0) +
        Math.floor(low32 / 4294967296)) >>>
      0;
    this.view.setUint32(this.pos, low32 >>> 0, true);
    this.view.setUint32(this.pos + 4, high32, true);
    this.pos += 8;
  }

  /** A hex id as length-prefixed bytes, converted in place. */
  private hex(id: string): void {
    const n = id.length >>> 1;
    this.ensure(n + 5);
    this.varint(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      buf[p++] =
        ((HEX[id.charCodeAt(2 * i) & 127] as number) << 4) |
        (HEX[id.charCodeAt(2 * i + 1) & 127] as number);
    }
    this.pos = p;
  }

  /** A hex id as length-prefixed bytes: copied from `bytes[at…]` when given, else converted. */
  private id(hex: string, bytes: Uint8Array | undefined, at: number): void {
    if (bytes === undefined) {
      this.hex(hex);
      return;
    }
    const n = hex.length >>> 1;
    this.ensure(n + 5);
    this.varint(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = bytes[at + i] as number;
    this.pos = p;
  }

  /** A length-prefixed UTF-8 string; ASCII (the usual case) is copied without an encoder call. */
  private str(value: string): void {
    const n = value.length;
    if (n < 16384) {
      const prefix = n < 128 ? 1 : 2;
      this.ensure(n + prefix);
      const buf = this.buf;
      let p = this.pos + prefix;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 127) break;
        buf[p++] = c;
      }
      if (i === n) {
        if (prefix === 1) buf[this.pos] = n;
        else {
          buf[this.pos] = (n & 127) | 128;
          buf[this.pos + 1] = n >>> 7;
        }
        this.pos = p;
        return;
      }
    }
    const bytes = textEncoder.encode(value);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  private raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

/**
 * Hex digit values by character code, as a table (random ids make the branches of a comparison
 * unpredictable). Ids are valid hex: the SDK makes them so, and checks those it extracts.
 */
const HEX = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  HEX[c] = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : (c - 55) & 0xff;
}

function varintSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16384) return 2;
  if (value < 2097152) return 3;
  if (value < 268435456) return 4;
  return 5;
}

/** Keys whose last attribute is kept encoded; keys past this many are encoded every time. */
const MAX_CACHED_KEYS = 256;
/** Changed values in a row after which a key counts as volatile and is encoded every time. */
const VOLATILE_MISSES = 8;
/** Spans after which the kept attributes are dropped: a key that turned volatile gets another try. */
const PAIRS_RESET_SPANS = 65_536;

/** An attribute as the encoder last wrote it under its key. */
interface EncodedPair {
  value: unknown;
  /** The `KeyValue` after its field tag: length, key, value. */
  bytes: Uint8Array;
  /** Spans in a row whose value under this key was another one. */
  misses: number;
  volatile: boolean;
}

/** Spans encoded and grouped, waiting for `finish()` to write their request. */
export interface SealedSpans {
  readonly groups: Map<Resource, Map<InstrumentationScope, Segment>>;
  readonly spanCount: number;
}

/** The encoded spans of one resource and scope, appended until the request is taken. */
interface Segment {
  buf: Uint8Array;
  view: DataView;
  pos: number;
}

const SEGMENT_CAPACITY = 16 * 1024;
/** A segment grown past this (spans of one scope larger than a usual batch) is not kept. */
const MAX_KEPT_SEGMENT = 4 * 1024 * 1024;

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

function newSegment(): Segment {
  const buf = new Uint8Array(SEGMENT_CAPACITY);
  return { buf, view: new DataView(buf.buffer), pos: 0 };
}
