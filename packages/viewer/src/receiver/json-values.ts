/**
 * OTLP/JSON building blocks (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lowerCamelCase keys (snake_case accepted too), trace and span ids as hex, 64-bit integers as decimal
 * strings or numbers, enums as integers, other bytes as base64. Malformed values throw `OtlpJsonError` (→ 400).
 */
import { doubleJson, intJson } from './attribute-json.js';
import { isHexId } from './hex.js';

export class OtlpJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpJsonError';
  }
}

export type JsonObject = Record<string, unknown>;

/** The field by its lowerCamelCase name, or its snake_case original. */
export function field(obj: JsonObject, camel: string): unknown {
  const v = obj[camel];
  if (v !== undefined) return v;
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake === camel ? undefined : obj[snake];
}

export function objectField(obj: JsonObject, camel: string): JsonObject | undefined {
  const v = field(obj, camel);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw new OtlpJsonError(`${camel} must be an object`);
  return v as JsonObject;
}

export function arrayField(obj: JsonObject, camel: string): JsonObject[] {
  const v = field(obj, camel);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(`${camel} must be an array`);
  for (const item of v)
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new OtlpJsonError(`${camel} must be an array of objects`);
  return v as JsonObject[];
}

export function stringField(obj: JsonObject, camel: string): string {
  const v = field(obj, camel);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpJsonError(`${camel} must be a string`);
  return v;
}

export function intField(obj: JsonObject, camel: string): number {
  const v = field(obj, camel);
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new OtlpJsonError(`${camel} must be an integer`);
  return n;
}

export function optionalNumberField(obj: JsonObject, camel: string): number | null {
  const v = field(obj, camel);
  if (v === undefined || v === null) return null;
  return toDouble(v, camel);
}

function toDouble(v: unknown, name: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new OtlpJsonError(`${name} must be a number`);
}

export function doubleArray(obj: JsonObject, camel: string): number[] {
  const v = field(obj, camel);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(`${camel} must be an array`);
  return v.map((x) => toDouble(x, camel));
}

export function uintArray(obj: JsonObject, camel: string): number[] {
  const v = field(obj, camel);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(`${camel} must be an array`);
  return v.map((x) => Number(toBigInt(x, camel)));
}

export function toBigInt(v: unknown, name: string): bigint {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new OtlpJsonError(`${name} must be an integer (a decimal string or a number)`);
}

/** A fixed64/int64 field such as timeUnixNano; 0 when absent. */
export function bigIntField(obj: JsonObject, camel: string): bigint {
  const v = field(obj, camel);
  if (v === undefined || v === null) return 0n;
  return toBigInt(v, camel);
}

/**
 * A trace or span id: '' when absent or empty; `undefined` when present but not valid hex of the
 * right length (the caller rejects the item).
 */
export function hexIdField(obj: JsonObject, camel: string, bytes: number): string | undefined {
  const v = field(obj, camel);
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !isHexId(v, bytes)) return undefined;
  return v.toLowerCase();
}

/** An OTLP/JSON AnyValue → our attribute JSON text (same mapping as the protobuf path). */
export function anyValueJson(value: unknown, depth = 0): string {
  if (depth > 64) throw new OtlpJsonError('AnyValue nested too deeply');
  if (value === undefined || value === null) return 'null';
  if (typeof value !== 'object' || Array.isArray(value))
    throw new OtlpJsonError('AnyValue must be an object');
  const v = value as JsonObject;
  const s = field(v, 'stringValue');
  if (s !== undefined) {
    if (typeof s !== 'string') throw new OtlpJsonError('stringValue must be a string');
    return JSON.stringify(s);
  }
  const b = field(v, 'boolValue');
  if (b !== undefined) {
    if (typeof b !== 'boolean') throw new OtlpJsonError('boolValue must be a boolean');
    return b ? 'true' : 'false';
  }
  const i = field(v, 'intValue');
  if (i !== undefined) return intJson(toBigInt(i, 'intValue'));
  const d = field(v, 'doubleValue');
  if (d !== undefined) return doubleJson(toDouble(d, 'doubleValue'));
  const arr = objectField(v, 'arrayValue');
  if (arr !== undefined) {
    const values = field(arr, 'values');
    if (values === undefined) return '[]';
    if (!Array.isArray(values)) throw new OtlpJsonError('arrayValue.values must be an array');
    return `[${values.map((x) => anyValueJson(x, depth + 1)).join(',')}]`;
  }
  const kv = objectField(v, 'kvlistValue');
  if (kv !== undefined) return attributesJson(kv, 'values', depth + 1);
  const bytes = field(v, 'bytesValue');
  if (bytes !== undefined) {
    if (typeof bytes !== 'string') throw new OtlpJsonError('bytesValue must be a base64 string');
    return `{"bytes":${JSON.stringify(bytes)}}`;
  }
  return 'null';
}

/** A repeated KeyValue field → our attribute JSON object text. */
export function attributesJson(obj: JsonObject, camel = 'attributes', depth = 0): string {
  const list = arrayField(obj, camel);
  let out = '';
  for (const kv of list) {
    const key = field(kv, 'key');
    if (typeof key !== 'string') throw new OtlpJsonError('KeyValue.key must be a string');
    out += `${out ? ',' : ''}${JSON.stringify(key)}:${anyValueJson(field(kv, 'value'), depth)}`;
  }
  return `{${out}}`;
}

/** The resource's attributes and `service.name`. */
export function resourceJson(obj: JsonObject): { json: string; service: string } {
  const res = objectField(obj, 'resource');
  if (res === undefined) return { json: '{}', service: 'unknown_service' };
  let service = 'unknown_service';
  for (const kv of arrayField(res, 'attributes')) {
    if (field(kv, 'key') === 'service.name') {
      const value = field(kv, 'value');
      const s =
        value && typeof value === 'object' ? field(value as JsonObject, 'stringValue') : undefined;
      if (typeof s === 'string') service = s;
    }
  }
  return { json: attributesJson(res), service };
}

export function scopeJson(obj: JsonObject): { name: string; version: string; attributes: string } {
  const scope = objectField(obj, 'scope');
  if (scope === undefined) return { name: '', version: '', attributes: '{}' };
  return {
    name: stringField(scope, 'name'),
    version: stringField(scope, 'version'),
    attributes: attributesJson(scope),
  };
}

export function parseJsonBody(buf: Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8'));
  } catch (error) {
    throw new OtlpJsonError(`invalid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new OtlpJsonError('the request body must be a JSON object');
  return parsed as JsonObject;
}
