import type { AttributeType } from './attribute-types.js';

/** Whether `value` has the declared type. `int` needs a whole number; arrays need every element to match. */
export function matchesType(type: AttributeType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'double':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every(isString);
    case 'int[]':
      return Array.isArray(value) && value.every(Number.isInteger);
    case 'double[]':
      return Array.isArray(value) && value.every(isNumber);
    case 'bool[]':
      return Array.isArray(value) && value.every(isBoolean);
  }
}

/** The attribute types, for validating a schema written without TypeScript. */
export const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set<AttributeType>([
  'string',
  'int',
  'double',
  'bool',
  'string[]',
  'int[]',
  'double[]',
  'bool[]',
]);

function isString(value: unknown): boolean {
  return typeof value === 'string';
}
function isNumber(value: unknown): boolean {
  return typeof value === 'number';
}
function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}
