import { type Attributes, context, type Span, type Tracer, trace } from '@opentelemetry/api';
import { isNoopDefault, tracerFrom } from '../spans/default-tracer.js';
import { parentContext } from '../spans/span-helper-options.js';
import { NOOP_SPAN, runInSpan } from '../spans/with-span.js';
import { isThenable } from './is-thenable.js';
import { elapsedSeconds, startClock } from './operation-clock.js';
import type { RedMetrics } from './red-metrics.js';
import type { ResolvedOperation } from './resolve-operation.js';
import type { OperationCallOptions } from './span-operation.js';

/** What every operation of a family shares. */
export interface FamilyRuntime {
  readonly tracer: Tracer | string | undefined;
  /** Development-mode attribute checks. */
  readonly checks: boolean;
  /** Undefined with `metrics: false`. */
  readonly metrics: RedMetrics | undefined;
}

/**
 * Starts the operation's span with the attributes already built, runs `fn` in it through
 * `runInSpan` (the error and ending semantics of `withSpan`), and records the RED metrics when a
 * MeterProvider is registered. Adds no closure unless metrics must wait for a promise.
 */
export function runOperation<T>(
  op: ResolvedOperation,
  index: number,
  family: FamilyRuntime,
  attributes: Attributes,
  options: OperationCallOptions,
  fn: (span: Span) => T,
): T {
  const tracer = tracerFrom(options.tracer ?? family.tracer);
  const parent = parentContext(options.parent);
  const red = family.metrics;
  const instruments = red?.current();
  if (instruments === undefined && isNoopDefault(tracer) && trace.getSpan(parent) === undefined) {
    return runInSpan(NOOP_SPAN, fn); // no SDK at all: nothing to record (see withSpan)
  }
  const span = tracer.startSpan(
    options.name || op.spanName,
    {
      kind: op.kind,
      attributes,
      links: options.links,
      startTime: options.startTime,
      root: options.root,
    },
    parent,
  );
  if (red === undefined || instruments === undefined) {
    return context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
  }
  const startedAt = startClock(span);
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
  } catch (error) {
    red.error(instruments, index, elapsedSeconds(span, startedAt), error);
    throw error;
  }
  if (!isThenable(result)) {
    red.ok(instruments, index, elapsedSeconds(span, startedAt));
    return result;
  }
  return result.then(
    (value) => {
      red.ok(instruments, index, elapsedSeconds(span, startedAt));
      return value;
    },
    (error: unknown) => {
      red.error(instruments, index, elapsedSeconds(span, startedAt), error);
      throw error;
    },
  ) as T;
}
