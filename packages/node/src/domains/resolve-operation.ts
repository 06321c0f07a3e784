import { type Attributes, type AttributeValue, SpanKind } from '@opentelemetry/api';
import { invalidOption } from '../errors.js';
import { ATTRIBUTE_TYPES } from './attribute-check.js';
import type { AttributeType } from './attribute-types.js';
import type { OperationSpec } from './family-schema.js';
import { snakeCase } from './snake-case.js';
import type { ResolvedAttribute } from './span-operation.js';

/** An operation with everything a call needs computed once, at define time. */
export interface ResolvedOperation {
  /** `raft.leaderElection`, for warnings. */
  readonly label: string;
  /** `leader_election`, recorded on the metrics. */
  readonly operation: string;
  readonly spanName: string;
  readonly kind: SpanKind;
  /** Parallel arrays over the declared attributes, so a call loops without allocating. */
  readonly names: readonly string[];
  readonly keys: readonly string[];
  readonly types: readonly AttributeType[];
  readonly required: readonly boolean[];
  readonly constantKeys: readonly string[];
  readonly constantValues: readonly AttributeValue[];
  readonly byName: Readonly<Record<string, ResolvedAttribute>>;
  /** Bit flags per attribute (and one more for the input), so a repeated misuse builds no message. */
  readonly warned: Uint8Array;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const KINDS = new Set<unknown>([
  SpanKind.INTERNAL,
  SpanKind.SERVER,
  SpanKind.CLIENT,
  SpanKind.PRODUCER,
  SpanKind.CONSUMER,
]);

/** Validates one operation and precomputes its span name and attribute keys; throws on a bad schema. */
export function resolveOperation(
  prefix: string,
  operation: string,
  spec: OperationSpec,
): ResolvedOperation {
  const where = `defineSpanFamily("${prefix}").${operation}`;
  if (!NAME.test(operation)) invalidOption(where, operation, 'a camelCase operation name');
  if (spec === null || typeof spec !== 'object') invalidOption(where, spec, 'an operation object');
  const kind = spec.kind ?? SpanKind.INTERNAL;
  if (!KINDS.has(kind)) invalidOption(`${where}.kind`, kind, 'a SpanKind');
  const spanName = spec.name ?? `${prefix}.${snakeCase(operation)}`;
  if (typeof spanName !== 'string' || spanName === '')
    invalidOption(`${where}.name`, spanName, 'a non-empty span name');

  const names: string[] = [];
  const keys: string[] = [];
  const types: AttributeType[] = [];
  const required: boolean[] = [];
  const byName: Record<string, ResolvedAttribute> = {};
  for (const [name, decl] of Object.entries(spec.attributes ?? {})) {
    const at = `${where}.attributes.${name}`;
    if (!NAME.test(name)) invalidOption(at, name, 'a camelCase attribute name');
    const long = typeof decl === 'string' ? { type: decl } : decl;
    if (!ATTRIBUTE_TYPES.has(long?.type)) invalidOption(at, decl, [...ATTRIBUTE_TYPES].join(', '));
    const key = long.key ?? `${prefix}.${snakeCase(name)}`;
    if (typeof key !== 'string' || key === '') invalidOption(`${at}.key`, key, 'an attribute key');
    if (keys.includes(key)) invalidOption(`${at}.key`, key, 'a key no other attribute uses');
    const resolved: ResolvedAttribute = { key, type: long.type, required: long.required === true };
    names.push(name);
    keys.push(key);
    types.push(resolved.type);
    required.push(resolved.required);
    byName[name] = resolved;
  }
  const constants: Attributes = spec.constants ?? {};
  const constantKeys = Object.keys(constants);
  return {
    label: `${prefix}.${operation}`,
    operation: snakeCase(operation),
    spanName,
    kind,
    names,
    keys,
    types,
    required,
    constantKeys,
    constantValues: constantKeys.map((key) => constants[key] as AttributeValue),
    byName,
    warned: new Uint8Array(names.length + 1),
  };
}
