/**
 * Query-parameter parsing for the API: every value is validated and bounded; a bad one is a 400 that names
 * the parameter and the value. Times are milliseconds since the epoch, converted to nanosecond bigints.
 */
import { badRequest } from '../http/api-error.js';
import { isHexId } from '../receiver/hex.js';

export class Params {
  constructor(readonly search: URLSearchParams) {}

  string(name: string, maxLength = 1000): string | undefined {
    const v = this.search.get(name);
    if (v === null || v === '') return undefined;
    if (v.length > maxLength)
      throw badRequest(`parameter "${name}" is longer than ${maxLength} characters`);
    return v;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw badRequest(`parameter "${name}" is required`);
    return v;
  }

  int(name: string, min: number, max: number, fallback: number): number;
  int(name: string, min: number, max: number): number | undefined;
  int(name: string, min: number, max: number, fallback?: number): number | undefined {
    const v = this.string(name, 30);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw badRequest(
        `parameter "${name}" has invalid value ${JSON.stringify(v)}: expected an integer from ${min} to ${max}`,
      );
    return n;
  }

  number(name: string): number | undefined {
    const v = this.string(name, 40);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
      throw badRequest(
        `parameter "${name}" has invalid value ${JSON.stringify(v)}: expected a non-negative number`,
      );
    return n;
  }

  /** A time in ms since the epoch → ns bigint. */
  timeNs(name: string): bigint | undefined {
    const ms = this.number(name);
    return ms === undefined ? undefined : BigInt(Math.round(ms * 1000)) * 1000n;
  }

  /** A duration in ms → ns bigint. */
  durationNs(name: string): bigint | undefined {
    const ms = this.number(name);
    return ms === undefined ? undefined : BigInt(Math.round(ms * 1_000_000));
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback?: T): T | undefined {
    const v = this.string(name, 50);
    if (v === undefined) return fallback;
    if (!(values as readonly string[]).includes(v))
      throw badRequest(
        `parameter "${name}" has invalid value ${JSON.stringify(v)}: expected one of ${values.join(', ')}`,
      );
    return v as T;
  }

  hexId(name: string, bytes: number): string | undefined {
    const v = this.string(name, 64);
    if (v === undefined) return undefined;
    if (!isHexId(v, bytes))
      throw badRequest(
        `parameter "${name}" has invalid value ${JSON.stringify(v)}: expected ${bytes * 2} hex characters`,
      );
    return v.toLowerCase();
  }

  /** `attr=key=value` or `attr=key`, repeatable (at most 20). */
  attributes(name = 'attr'): { key: string; value: string | undefined }[] {
    const all = this.search.getAll(name);
    if (all.length > 20) throw badRequest(`at most 20 "${name}" filters`);
    return all.map((a) => {
      if (a.length > 1000) throw badRequest(`parameter "${name}" is longer than 1000 characters`);
      const i = a.indexOf('=');
      const key = i < 0 ? a : a.slice(0, i);
      if (!key)
        throw badRequest(
          `parameter "${name}" has invalid value ${JSON.stringify(a)}: expected key=value`,
        );
      return { key, value: i < 0 ? undefined : a.slice(i + 1) };
    });
  }

  /** An opaque cursor (base64url JSON) produced by `encodeCursor`. */
  cursor<T>(): T | undefined {
    const v = this.string('cursor', 2000);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as T;
    } catch {
      throw badRequest('parameter "cursor" is not a cursor this API returned');
    }
  }
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JSON path for DuckDB's json functions that addresses one top-level key literally (dots included). */
export function jsonKeyPath(key: string): string {
  return `$."${key.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Builds a WHERE clause with positional parameters. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: (string | number | bigint | boolean)[] = [];

  /** Adds a clause; `?` placeholders are numbered in order. */
  add(clause: string, ...values: (string | number | bigint | boolean)[]): this {
    let text = clause;
    for (const v of values) {
      this.params.push(v);
      text = text.replace('?', `$${this.params.length}`);
    }
    this.clauses.push(text);
    return this;
  }

  /** The next placeholder, for clauses built by hand. */
  param(value: string | number | bigint | boolean): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** Adds `attr` filters matching the row's attributes or resource (as strings). */
export function addAttributeFilters(
  where: Where,
  attrs: { key: string; value: string | undefined }[],
  columns: string[] = ['attributes', 'resource'],
): void {
  for (const a of attrs) {
    const path = where.param(jsonKeyPath(a.key));
    if (a.value === undefined) {
      where.clauses.push(`(${columns.map((c) => `json_exists(${c}, ${path})`).join(' OR ')})`);
    } else {
      const value = where.param(a.value);
      where.clauses.push(
        `(${columns.map((c) => `coalesce(json_extract_string(${c}, ${path}), '\u0000') = ${value}`).join(' OR ')})`,
      );
    }
  }
}

/** ns (bigint) → ms number with microsecond precision. */
export function nsToMs(ns: unknown): number {
  const v = typeof ns === 'bigint' ? ns : BigInt(String(ns ?? 0));
  return Number(v / 1000n) / 1000;
}

export function nsToMsDuration(ns: unknown): number {
  return Number(ns ?? 0) / 1e6;
}
