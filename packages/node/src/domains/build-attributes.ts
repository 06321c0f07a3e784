import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/warn-once.js';
import { describeValue } from '../errors.js';
import { matchesType } from './attribute-check.js';
import type { AttributeType } from './attribute-types.js';
import type { ResolvedOperation } from './resolve-operation.js';

const WRONG_TYPE = 1;
const MISSING = 2;

/**
 * The span attributes of one call: the operation's constants (when `start`), then each declared
 * attribute that is present, under its precomputed key. With `checks` (development mode) a value of
 * the wrong type is dropped and reported once per family, operation and attribute; so is a missing
 * required one when `start` is set. Undeclared names are ignored (TypeScript rejects them).
 * Never throws.
 */
export function buildAttributes(
  op: ResolvedOperation,
  input: unknown,
  checks: boolean,
  start: boolean,
): Attributes {
  const out: Attributes = {};
  if (start) {
    for (let i = 0; i < op.constantKeys.length; i++) {
      out[op.constantKeys[i] as string] = op.constantValues[i];
    }
  }
  if (input === null || typeof input !== 'object') {
    if (checks && input !== undefined) warnBadInput(op, input);
    return out;
  }
  const values = input as Record<string, unknown>;
  const { names, keys } = op;
  for (let i = 0; i < names.length; i++) {
    const value = values[names[i] as string];
    if (value === undefined || value === null) {
      if (checks && start && op.required[i]) warn(op, i, MISSING, value);
      continue;
    }
    if (checks && !matchesType(op.types[i] as AttributeType, value)) {
      warn(op, i, WRONG_TYPE, value);
      continue;
    }
    out[keys[i] as string] = value as AttributeValue;
  }
  return out;
}

function warn(op: ResolvedOperation, index: number, flag: number, value: unknown): void {
  const flags = op.warned[index] ?? 0;
  if (flags & flag) return;
  op.warned[index] = flags | flag;
  const name = op.names[index] as string;
  if (flag === MISSING) {
    warnOnce(
      `domains:${op.label}.${name}:missing`,
      `${op.label}: required attribute "${name}" is missing`,
    );
    return;
  }
  warnOnce(
    `domains:${op.label}.${name}:type`,
    `${op.label}: attribute "${name}" must be ${op.types[index]}, got ${describeValue(value)}; the value was dropped`,
  );
}

function warnBadInput(op: ResolvedOperation, input: unknown): void {
  const slot = op.names.length;
  if (op.warned[slot]) return;
  op.warned[slot] = 1;
  warnOnce(
    `domains:${op.label}:input`,
    `${op.label}() was given ${describeValue(input)} instead of an attributes object`,
  );
}
