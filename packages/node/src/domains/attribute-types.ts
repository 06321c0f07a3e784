/**
 * The attribute types a span family schema can declare. Each maps to one OpenTelemetry attribute
 * value type; `int` and `double` are both numbers in JavaScript, but `int` rejects fractions at
 * run time (in development mode) so that the exported value is an OTLP `int_value`.
 */
export type AttributeType =
  | 'string'
  | 'int'
  | 'double'
  | 'bool'
  | 'string[]'
  | 'int[]'
  | 'double[]'
  | 'bool[]';

/** The long form of an attribute declaration. */
export interface AttributeSpec {
  type: AttributeType;
  /** A call that leaves it out is a compile-time error (and a development-mode warning). */
  required?: boolean;
  /**
   * The exported attribute key, e.g. a semantic-convention key such as `db.system.name`.
   * Default: `${prefix}.${snake_case(name)}`.
   */
  key?: string;
}

/** An attribute declaration: a bare type (optional, namespaced key) or the long form. */
export type AttributeDecl = AttributeType | AttributeSpec;

/** The attributes of one operation, by the name callers use. */
export type AttributeDecls = { readonly [name: string]: AttributeDecl };

/** The JavaScript value type of each attribute type. */
export interface AttributeValueTypes {
  string: string;
  int: number;
  double: number;
  bool: boolean;
  'string[]': readonly string[];
  'int[]': readonly number[];
  'double[]': readonly number[];
  'bool[]': readonly boolean[];
}

type TypeOfDecl<D> = D extends AttributeType
  ? D
  : D extends { readonly type: infer T extends AttributeType }
    ? T
    : never;

/** The value type callers pass for one declaration: `'int'` → `number`, `'string[]'` → `readonly string[]`. */
export type ValueOf<D> = AttributeValueTypes[TypeOfDecl<D>];

type RequiredNames<A> = {
  [K in keyof A]: A[K] extends { readonly required: true } ? K : never;
}[keyof A];

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The typed attributes object an operation helper takes, derived from its declarations. */
export type AttributesOf<A> = Flatten<
  { [K in RequiredNames<A>]: ValueOf<A[K]> } & {
    [K in Exclude<keyof A, RequiredNames<A>>]?: ValueOf<A[K]> | undefined;
  }
>;
