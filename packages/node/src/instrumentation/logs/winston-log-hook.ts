import { SeverityNumber } from '@opentelemetry/api';
import type { LogHookFunction } from '@opentelemetry/instrumentation-winston';
import type { ResolvedLogInstrumentationOptions } from './log-instrumentation-options.js';
import { winstonSeverity } from './log-severity.js';
import { addLogSpanEvent, type ErrorLike } from './log-span-event.js';

const LEVEL = Symbol.for('level');
const SPLAT = Symbol.for('splat');
const CORRELATION_FIELDS = ['trace_id', 'span_id', 'trace_flags'] as const;

/**
 * The error a winston record carries: the record itself (`logger.error(err)`), an `err` or `error`
 * field, an `Error` among the extra arguments (`logger.error('failed', err)`), or the `stack` that
 * `format.errors()` flattens into the record.
 */
export function errorOfWinstonRecord(
  record: Record<string | symbol, unknown>,
): ErrorLike | undefined {
  if (record instanceof Error) return record;
  for (const key of ['err', 'error']) {
    const value = record[key];
    if (value instanceof Error) return value;
  }
  const splat = record[SPLAT];
  if (Array.isArray(splat)) {
    const found = splat.find((value) => value instanceof Error) as Error | undefined;
    if (found) return found;
  }
  if (typeof record.stack === 'string') {
    const name =
      typeof record.name === 'string' ? record.name : /^([^:\n]+):/.exec(record.stack)?.[1];
    return { name, message: record.message, stack: record.stack };
  }
  return undefined;
}

/**
 * The contrib's `logHook`, which it calls synchronously with the active span for each record made
 * inside one. It adds the span event (opt-in) and, when correlation is off but span events are on,
 * removes the correlation fields again: the contrib only calls the hook while correlation is on.
 */
export function createWinstonLogHook(options: ResolvedLogInstrumentationOptions): LogHookFunction {
  const strip = !options.correlation;
  return (span, record: Record<string | symbol, unknown>) => {
    if (strip) for (const field of CORRELATION_FIELDS) delete record[field];
    if (!options.spanEvents) return;
    const level = record[LEVEL] ?? record.level;
    if (winstonSeverity(level) < SeverityNumber.ERROR) return;
    addLogSpanEvent(span, {
      severityText: String(level),
      message: record.message,
      error: errorOfWinstonRecord(record),
    });
  };
}
