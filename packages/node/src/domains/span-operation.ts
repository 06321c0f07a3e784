import type { Span, SpanKind } from '@opentelemetry/api';
import type { SpanHelperOptions } from '../spans/span-helper-options.js';
import type { AttributesOf, AttributeType } from './attribute-types.js';
import type { FamilySchema } from './family-schema.js';

/** Per-call options of an operation helper: links, an explicit parent, a new root, and so on. */
export interface OperationCallOptions extends Omit<SpanHelperOptions, 'kind' | 'attributes'> {
  /**
   * The span name for this call instead of the operation's, e.g. a low-cardinality query summary
   * such as `SELECT orders`. Metrics still use the operation name.
   */
  name?: string;
}

/** A declared attribute after `defineSpanFamily` resolved its exported key. */
export interface ResolvedAttribute {
  readonly key: string;
  readonly type: AttributeType;
  readonly required: boolean;
}

/** A standard (TC39) method decorator that keeps the method's type. */
export type OperationDecorator<This, Args extends unknown[]> = <Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return;

/** The typed helper `defineSpanFamily` returns for one operation. */
export interface SpanOperation<A> {
  /** Runs `fn` in the operation's span, active for everything `fn` does (like `withSpan`). */
  <T>(attributes: A, fn: (span: Span) => T): T;
  /** The same, with links, an explicit parent, a new root, a start time or another tracer. */
  <T>(attributes: A, options: OperationCallOptions | undefined, fn: (span: Span) => T): T;
  /**
   * A method decorator: every call runs in the operation's span, with attributes taken from the
   * instance and the arguments. Annotate the parameters; they must match the method's.
   */
  traced<This, Args extends unknown[]>(
    attributesFrom: (self: This, args: Args) => A,
    options?: OperationCallOptions,
  ): OperationDecorator<This, Args>;
  /** Sets attributes learned during the operation (a cache hit, a row count), typed and checked. */
  setAttributes(span: Span, attributes: Partial<A>): void;
  /** The snake_case operation name, as recorded on the metrics. */
  readonly operation: string;
  readonly spanName: string;
  readonly kind: SpanKind;
  /** The declared attributes, by the name callers use. */
  readonly attributes: Readonly<Record<string, ResolvedAttribute>>;
}

type DeclsOf<O> = O extends { readonly attributes: infer A } ? A : Record<never, never>;

/** The helpers of a family: one `SpanOperation` per declared operation. */
export type SpanFamily<S extends FamilySchema> = {
  readonly [Op in keyof S]: SpanOperation<AttributesOf<DeclsOf<S[Op]>>>;
};
