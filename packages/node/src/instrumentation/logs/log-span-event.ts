import type { Attributes, Span } from '@opentelemetry/api';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
} from '@opentelemetry/semantic-conventions';

/** Attribute names of our own (DESIGN D9: the `sightline.` prefix). */
export const LOG_SEVERITY_ATTRIBUTE = 'sightline.log.severity';
export const LOG_MESSAGE_ATTRIBUTE = 'sightline.log.message';

/** An `Error`, or the `name`/`message`/`stack` a log format flattened one into. */
export interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
}

/** One error-level log record, as the span-event option sees it. */
export interface LoggedError {
  /** The level as the library names it (`error`, `fatal`, `crit` …). */
  severityText: string;
  message: unknown;
  error: ErrorLike | undefined;
}

/**
 * Adds an error-level log record to `span`: an `exception` event with the semantic-convention
 * `exception.type`, `exception.message` and `exception.stacktrace` when the record carries an error,
 * otherwise a `log` event. Both carry `sightline.log.severity` and, when the record has a message,
 * `sightline.log.message`. The span's status is left alone: an error that was logged may have been
 * handled. Never throws.
 */
export function addLogSpanEvent(span: Span, record: LoggedError): void {
  try {
    if (!span.isRecording()) return;
    const attributes: Attributes = { [LOG_SEVERITY_ATTRIBUTE]: record.severityText };
    if (typeof record.message === 'string' && record.message !== '')
      attributes[LOG_MESSAGE_ATTRIBUTE] = record.message;
    const { error } = record;
    if (error === undefined) {
      span.addEvent('log', attributes);
      return;
    }
    attributes[ATTR_EXCEPTION_TYPE] = typeof error.name === 'string' ? error.name : 'Error';
    if (typeof error.message === 'string') attributes[ATTR_EXCEPTION_MESSAGE] = error.message;
    if (typeof error.stack === 'string') attributes[ATTR_EXCEPTION_STACKTRACE] = error.stack;
    span.addEvent('exception', attributes);
  } catch {
    // A broken span must not turn the app's log call into an exception.
  }
}
