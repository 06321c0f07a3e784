import type { Attributes } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Distinct `error.type` values counted before the rest are folded into `_OTHER`. */
export const MAX_ERROR_TYPES = 100;

/**
 * Counts recording spans started and ended, and spans ending with status ERROR by `error.type`
 * (else `exception.type`, else `_OTHER`), in plain fields that `sightline.sdk.spans.*` and
 * `sightline.errors` read at collection time. Two increments per span on the hot path; the error
 * map is bounded, since error types come from the app's data.
 */
export class SpanHealthProcessor implements SpanProcessor {
  started = 0;
  ended = 0;
  readonly errors = new Map<string, number>();

  onStart(_span: Span): void {
    this.started++;
  }

  onEnd(span: ReadableSpan): void {
    this.ended++;
    if (span.status.code !== SpanStatusCode.ERROR) return;
    let type = errorType(span);
    if (!this.errors.has(type) && this.errors.size >= MAX_ERROR_TYPES) type = '_OTHER';
    this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function errorType(span: ReadableSpan): string {
  const fromSpan = asType(span.attributes);
  if (fromSpan !== undefined) return fromSpan;
  // recordException() puts the type on the `exception` event; the last one is what ended the span.
  for (let i = span.events.length - 1; i >= 0; i--) {
    const event = span.events[i];
    if (event?.name === 'exception' && event.attributes !== undefined) {
      const fromEvent = asType(event.attributes);
      if (fromEvent !== undefined) return fromEvent;
    }
  }
  return '_OTHER';
}

function asType(attributes: Attributes): string | undefined {
  const type = attributes['error.type'] ?? attributes['exception.type'];
  return typeof type === 'string' && type !== '' ? type : undefined;
}
