import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Records `error` on `span` (default: the active span) as an `exception` event with the
 * semantic-convention attributes `exception.type`, `exception.message` and `exception.stacktrace`,
 * and sets the span's status to ERROR. Anything can be thrown in JavaScript, so non-Error values
 * are described rather than dropped. Never throws.
 *
 * @example
 * ```ts
 * try { await charge(card); } catch (error) { recordException(error); throw error; }
 * ```
 */
export function recordException(
  error: unknown,
  span: Span | undefined = trace.getActiveSpan(),
): void {
  if (span === undefined || !span.isRecording()) return;
  try {
    if (error instanceof Error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      return;
    }
    const message = describeThrown(error);
    span.recordException({ name: typeof error, message });
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  } catch {
    // A broken span implementation must not turn the app's error into a different one.
  }
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
