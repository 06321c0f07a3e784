import { context, INVALID_SPAN_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/warn-once.js';
import { isNoopDefault, tracerFrom } from './default-tracer.js';
import { recordException } from './record-exception.js';
import { parentContext, type SpanHelperOptions } from './span-helper-options.js';

const NO_OPTIONS: SpanHelperOptions = {};

/**
 * Runs `fn` inside a new span that is active for everything `fn` does, sync or async. If `fn`
 * throws or its promise rejects, the exception is recorded (`exception.*` attributes), the status is
 * set to ERROR and the error is rethrown unchanged. The span ends exactly once, when `fn` returns or
 * its promise settles (unless `fn` ended it already).
 *
 * Misuse never throws: an empty or non-string name is replaced and reported once through `diag`;
 * a non-function `fn` is reported and returns `undefined`. With no SDK registered this costs what
 * the bare OpenTelemetry API costs.
 *
 * @example
 * ```ts
 * const order = await withSpan('load order', { attributes: { 'order.id': id } }, async (span) => {
 *   const row = await db.query(sql, [id]);
 *   span.setAttribute('db.rows', row.length);
 *   return row[0];
 * });
 * ```
 */
export function withSpan<T>(name: string, fn: (span: Span) => T): T;
export function withSpan<T>(
  name: string,
  options: SpanHelperOptions | undefined,
  fn: (span: Span) => T,
): T;
export function withSpan<T>(
  name: string,
  optionsOrFn: SpanHelperOptions | undefined | ((span: Span) => T),
  maybeFn?: (span: Span) => T,
): T {
  const options = typeof optionsOrFn === 'function' ? NO_OPTIONS : (optionsOrFn ?? NO_OPTIONS);
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  if (typeof fn !== 'function') {
    warnOnce(
      'withSpan:fn',
      `withSpan(${JSON.stringify(String(name))}) was given ${typeof fn} instead of a function; nothing was run`,
    );
    return undefined as T;
  }
  const tracer = tracerFrom(options.tracer);
  const parent = parentContext(options.parent);
  const spanName = checkedName(name, 'withSpan');
  if (isNoopDefault(tracer) && trace.getSpan(parent) === undefined) {
    // No SDK and no parent span: the API would build a fresh non-recording span and a new context
    // only to run `fn` unchanged. Hand `fn` the shared no-op span instead.
    return runInSpan(NOOP_SPAN, fn);
  }
  const span = tracer.startSpan(spanName, options, parent);
  return context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
}

/** The API's invalid, non-recording span: stateless, so one instance serves every no-op call. */
export const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Runs `fn(span)` and ends the span when it returns, throws, resolves or rejects. */
export function runInSpan<T>(span: Span, fn: (span: Span) => T): T {
  let result: T;
  try {
    result = fn(span);
  } catch (error) {
    recordException(error, span);
    endOnce(span);
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        endOnce(span);
        return value;
      },
      (error: unknown) => {
        recordException(error, span);
        endOnce(span);
        throw error;
      },
    ) as T;
  }
  endOnce(span);
  return result;
}

function endOnce(span: Span): void {
  // A recording span stops recording when it ends, so this skips spans `fn` ended itself.
  if (span.isRecording()) span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** A span name as given, or a placeholder reported once when it is empty or not a string. */
export function checkedName(name: unknown, helper: string): string {
  if (typeof name === 'string' && name.length > 0) return name;
  warnOnce(
    `${helper}:name`,
    `${helper}() was given ${name === '' ? 'an empty' : `a ${typeof name}`} span name; using "unnamed"`,
  );
  return 'unnamed';
}
