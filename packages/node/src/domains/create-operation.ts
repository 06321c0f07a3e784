import type { Attributes, Span } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/warn-once.js';
import { buildAttributes } from './build-attributes.js';
import type { ResolvedOperation } from './resolve-operation.js';
import { type FamilyRuntime, runOperation } from './run-operation.js';
import type { OperationCallOptions, OperationDecorator, SpanOperation } from './span-operation.js';

const NO_OPTIONS: OperationCallOptions = {};

/** Untyped inside: `defineSpanFamily` gives each helper its schema's attribute type. */
export type UntypedOperation = SpanOperation<Record<string, unknown>>;

/** The helper for one operation: call it, decorate methods with it, or set attributes later. */
export function createOperation(
  op: ResolvedOperation,
  index: number,
  family: FamilyRuntime,
): UntypedOperation {
  function operation<T>(
    attributes: unknown,
    optionsOrFn: OperationCallOptions | undefined | ((span: Span) => T),
    maybeFn?: (span: Span) => T,
  ): T {
    const options = typeof optionsOrFn === 'function' ? NO_OPTIONS : (optionsOrFn ?? NO_OPTIONS);
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    if (typeof fn !== 'function') {
      warnOnce(
        `domains:${op.label}:fn`,
        `${op.label}() was given ${typeof fn} instead of a function; nothing was run`,
      );
      return undefined as T;
    }
    const built = buildAttributes(op, attributes, family.checks, true);
    return runOperation(op, index, family, built, options, fn);
  }

  function traced<This, Args extends unknown[]>(
    attributesFrom: (self: This, args: Args) => unknown,
    options: OperationCallOptions = NO_OPTIONS,
  ): OperationDecorator<This, Args> {
    return function decorate<Return>(
      method: (this: This, ...args: Args) => Return,
      _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
    ): (this: This, ...args: Args) => Return {
      return function tracedOperation(this: This, ...args: Args): Return {
        const built = attributesOf(op, family, attributesFrom, this, args);
        return runOperation(op, index, family, built, options, (_span: Span) =>
          method.apply(this, args),
        );
      };
    };
  }

  function setAttributes(span: Span, attributes: unknown): void {
    try {
      if (span?.isRecording())
        span.setAttributes(buildAttributes(op, attributes, family.checks, false));
    } catch {
      // Telemetry must not break the operation it describes.
    }
  }

  return Object.assign(operation as UntypedOperation, {
    traced,
    setAttributes,
    operation: op.operation,
    spanName: op.spanName,
    kind: op.kind,
    attributes: op.byName,
  });
}

/** The decorated call's attributes; a mapper that throws costs the span its attributes, not the call. */
function attributesOf<This, Args>(
  op: ResolvedOperation,
  family: FamilyRuntime,
  attributesFrom: (self: This, args: Args) => unknown,
  self: This,
  args: Args,
): Attributes {
  let input: unknown;
  try {
    input = typeof attributesFrom === 'function' ? attributesFrom(self, args) : undefined;
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : '';
    warnOnce(
      `domains:${op.label}:traced`,
      `${op.label}.traced(): the attributes function threw${reason}; the span has none of them`,
    );
  }
  return buildAttributes(op, input, family.checks, true);
}
