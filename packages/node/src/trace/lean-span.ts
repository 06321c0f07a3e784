// The module's binding, not the global: `globalThis.performance` is an accessor Node defines
// lazily, read through a global-load IC at every call (one per span start and end).
import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import {
  cleanAttributes,
  cleanSimpleAttributes,
  hrTimeDuration,
  type InstrumentationScope,
  isTimeInput,
  isTimeInputHrTime,
  millisToHrTime,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';
import { type AttributeSet, addAttribute } from './span-attributes.js';
import type { SpanClock } from './span-clock.js';

/** What every span of one tracer shares. */
export interface LeanTracerState {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly processor: SpanProcessor;
  readonly limits: Required<{
    attributeCountLimit: number;
    attributeValueLengthLimit: number;
    eventCountLimit: number;
    linkCountLimit: number;
    attributePerEventCountLimit: number;
    attributePerLinkCountLimit: number;
  }>;
  readonly clock: SpanClock;
  /**
   * Whether every span of this tracer has a valid context by construction: its ids come from
   * `PooledIdGenerator` (never all zero) or from a parent the tracer checked.
   */
  readonly validIds: boolean;
}

/** Everything a span starts with, sampled and cleaned by the tracer. */
export interface LeanSpanInit {
  spanContext: SpanContext;
  parentSpanContext: SpanContext | undefined;
  name: string;
  kind: SpanKind;
  attributes: AttributeSet;
  links: Link[];
  droppedLinksCount: number;
  startTime: TimeInput | undefined;
  context: Context;
  /** Where the ids are as bytes, when known (see `LeanSpan.traceIdBytes`). */
  traceIdBytes: Uint8Array | undefined;
  traceIdAt: number;
  spanIdBytes: Uint8Array | undefined;
  spanIdAt: number;
  parentIdBytes: Uint8Array | undefined;
  parentIdAt: number;
}

const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });

/**
 * A recording span: the API `Span` and the SDK's `ReadableSpan`, with the SDK's rules for limits,
 * status, events, links and end times, but a start and an end that allocate little: attributes
 * are validated without per-value allocations, times come from one monotonic clock reading each
 * (anchored to the wall clock by the tracer's `SpanClock`) and the processors are called directly.
 */
export class LeanSpan implements Span {
  // Every field is declared only, and set by the constructor: emitted as class fields, each would
  // first be defined as undefined and then set, and a number field so started holds its doubles
  // boxed (a heap number per store).
  declare name: string;
  declare readonly kind: SpanKind;
  declare readonly parentSpanContext: SpanContext | undefined;
  declare readonly links: Link[];
  declare readonly events: TimedEvent[];
  declare readonly startTime: HrTime;
  declare endTime: HrTime;
  declare status: SpanStatus;
  declare readonly resource: Resource;
  declare readonly instrumentationScope: InstrumentationScope;
  /**
   * The trace id's 16 bytes at `traceIdBytes[traceIdAt…]`, when they are known: for ids from
   * `PooledIdGenerator` (and for a child, its Sightline parent's). The OTLP encoder copies them
   * rather than decode the hex id. Likewise the span id's 8 and the parent span id's 8.
   */
  declare readonly traceIdBytes: Uint8Array | undefined;
  declare readonly traceIdAt: number;
  declare readonly spanIdBytes: Uint8Array | undefined;
  declare readonly spanIdAt: number;
  declare readonly parentIdBytes: Uint8Array | undefined;
  declare readonly parentIdAt: number;
  private declare readonly _spanContext: SpanContext;
  private declare readonly _state: LeanTracerState;
  private declare readonly _set: AttributeSet;
  private declare _duration: HrTime;
  private declare _ended: boolean;
  private declare _droppedEventsCount: number;
  private declare _droppedLinksCount: number;
  /** Wall-clock start in epoch milliseconds, and the monotonic reading it was taken from. */
  private declare readonly _startMillis: number;
  private declare readonly _startMonotonic: number;
  private declare readonly _startTimeProvided: boolean;
  /** The monotonic reading `end()` took (NaN before, or when the end time was given). */
  private declare _endMonotonic: number;

  constructor(state: LeanTracerState, init: LeanSpanInit) {
    this._state = state;
    this._spanContext = init.spanContext;
    this.parentSpanContext = init.parentSpanContext;
    this.name = init.name;
    this.kind = init.kind;
    this.resource = state.resource;
    this.instrumentationScope = state.scope;
    this.events = [];
    this.endTime = [0, 0];
    this.status = UNSET_STATUS;
    this._duration = [-1, -1];
    this._ended = false;
    this._droppedEventsCount = 0;
    this._endMonotonic = Number.NaN;
    this.traceIdBytes = init.traceIdBytes;
    this.traceIdAt = init.traceIdAt;
    this.spanIdBytes = init.spanIdBytes;
    this.spanIdAt = init.spanIdAt;
    this.parentIdBytes = init.parentIdBytes;
    this.parentIdAt = init.parentIdAt;
    this._set = init.attributes;
    this.links = init.links;
    this._droppedLinksCount = init.droppedLinksCount;
    const monotonic = performance.now();
    this._startMonotonic = monotonic;
    this._startTimeProvided = init.startTime !== undefined;
    // One order of stores either way, so that every span has the same shape.
    let startMillis: number;
    let startTime: HrTime;
    if (init.startTime === undefined) {
      startMillis = state.clock.epochMillis(monotonic);
      startTime = toHrTime(startMillis);
    } else {
      startTime = this._timeInput(init.startTime);
      startMillis = startTime[0] * 1000 + startTime[1] / 1e6;
    }
    this._startMillis = startMillis;
    this.startTime = startTime;
    state.processor.onStart(this, init.context);
  }

  get attributes(): Attributes {
    return this._set.attributes;
  }

  /** True when this span's context is valid by construction (see `LeanTracerState.validIds`). */
  get hasValidIds(): boolean {
    return this._state.validIds;
  }

  spanContext(): SpanContext {
    return this._spanContext;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this._warnIfEnded()) return this;
    addAttribute(this._set, key, value, this._state.limits);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this._warnIfEnded()) return this;
    const limits = this._state.limits;
    for (const key in attributes) {
      if (Object.hasOwn(attributes, key)) addAttribute(this._set, key, attributes[key], limits);
    }
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this._warnIfEnded()) return this;
    const limits = this._state.limits;
    if (limits.eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this._droppedEventsCount++;
      return this;
    }
    if (this.events.length >= limits.eventCountLimit) {
      if (this._droppedEventsCount === 0) diag.debug('Dropping extra events.');
      this.events.shift();
      this._droppedEventsCount++;
    }
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(time)) time = attributesOrStartTime;
    } else {
      attributes = attributesOrStartTime;
    }
    // Event attributes take simple values only (OTEP 4485), as in the SDK.
    const cleaned = cleanSimpleAttributes(attributes, {
      attributeCountLimit: limits.attributePerEventCountLimit,
      attributeValueLengthLimit: limits.attributeValueLengthLimit,
    });
    this.events.push({ name, time: this._eventTime(time), ...cleaned });
    return this;
  }

  addLink(link: Link): this {
    if (this._warnIfEnded()) return this;
    const limits = this._state.limits;
    if (limits.linkCountLimit === 0) {
      this._droppedLinksCount++;
      return this;
    }
    if (this.links.length >= limits.linkCountLimit) {
      if (this._droppedLinksCount === 0) diag.debug('Dropping extra links.');
      this.links.shift();
      this._droppedLinksCount++;
    }
    this.links.push(cleanLink(link, limits));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this._warnIfEnded()) return this;
    // Once OK, a status is final; UNSET never overrides (trace API spec, Set Status).
    if (status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') next.message = status.message;
      else if (status.message != null) {
        diag.warn(
          `Dropping invalid status.message of type '${typeof status.message}', expected 'string'`,
        );
      }
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (this._warnIfEnded()) return this;
    this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this._ended) {
      diag.error(
        `${this.name} ${this._spanContext.traceId}-${this._spanContext.spanId} - You can only call end() on a span once.`,
      );
      return;
    }
    if (endTime === undefined && !this._startTimeProvided) {
      const now = performance.now();
      this._endMonotonic = now;
      this.endTime = toHrTime(this._startMillis + (now - this._startMonotonic));
    } else {
      this.endTime = this._eventTime(endTime);
    }
    this._duration = hrTimeDuration(this.startTime, this.endTime);
    if (this._duration[0] < 0) {
      diag.warn(
        'Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.',
        this.startTime,
        this.endTime,
      );
      this.endTime = [this.startTime[0], this.startTime[1]];
      this._duration = [0, 0];
    }
    if (this._droppedEventsCount > 0) {
      diag.warn(`Dropped ${this._droppedEventsCount} events because eventCountLimit reached`);
    }
    if (this._droppedLinksCount > 0) {
      diag.warn(`Dropped ${this._droppedLinksCount} links because linkCountLimit reached`);
    }
    const processor = this._state.processor;
    processor.onEnding?.(this);
    this._ended = true;
    processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this._ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    } else {
      diag.warn(`Failed to record an exception ${String(exception)}`);
    }
  }

  /**
   * The `performance.now()` reading the span started at, when it took one (no start time given):
   * instrumentations time their metrics from it rather than read the clock again.
   */
  get startMonotonic(): number | undefined {
    return this._startTimeProvided ? undefined : this._startMonotonic;
  }

  /** Milliseconds from start to end on the monotonic clock, once ended on it; else undefined. */
  get monotonicDuration(): number | undefined {
    const end = this._endMonotonic;
    return Number.isNaN(end) ? undefined : end - this._startMonotonic;
  }

  get duration(): HrTime {
    return this._duration;
  }

  get ended(): boolean {
    return this._ended;
  }

  get droppedAttributesCount(): number {
    return this._set.dropped;
  }

  get droppedEventsCount(): number {
    return this._droppedEventsCount;
  }

  get droppedLinksCount(): number {
    return this._droppedLinksCount;
  }

  /** An event's (or the end's) time, with the SDK's reading of each `TimeInput` form. */
  private _eventTime(time: TimeInput | undefined): HrTime {
    if (time === undefined) {
      // Relative to a start the caller gave, a monotonic offset would mean nothing.
      if (this._startTimeProvided) return millisToHrTime(Date.now());
      return toHrTime(this._startMillis + (performance.now() - this._startMonotonic));
    }
    return this._timeInput(time);
  }

  private _timeInput(time: TimeInput): HrTime {
    // A number not after performance.now() is a monotonic timestamp, else epoch milliseconds.
    if (typeof time === 'number') {
      return time <= performance.now()
        ? toHrTime(this._state.clock.epochMillisOf(time))
        : millisToHrTime(time);
    }
    if (time instanceof Date) return millisToHrTime(time.getTime());
    if (isTimeInputHrTime(time)) return time;
    return toHrTime(this._state.clock.epochMillis(performance.now()));
  }

  private _warnIfEnded(): boolean {
    if (this._ended) {
      const { traceId, spanId } = this._spanContext;
      diag.warn(
        `Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`,
        new Error(`Operation attempted on ended Span {traceId: ${traceId}, spanId: ${spanId}}`),
      );
    }
    return this._ended;
  }
}

/** A link with its attributes cleaned under the per-link limits. */
export function cleanLink(link: Link, limits: LeanTracerState['limits']): Link {
  return {
    context: link.context,
    ...cleanAttributes(link.attributes, {
      attributeCountLimit: limits.attributePerLinkCountLimit,
      attributeValueLengthLimit: limits.attributeValueLengthLimit,
    }),
  };
}

/** Epoch milliseconds (fractional) to `[seconds, nanoseconds]`, nanoseconds always < 1e9. */
function toHrTime(epochMillis: number): HrTime {
  const seconds = Math.trunc(epochMillis / 1000);
  const nanos = Math.round((epochMillis - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}
