import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** Plain header objects, such as Node's `IncomingHttpHeaders` or the `headers` option of `fetch`. */
export type HeaderRecord = Record<string, string | string[] | undefined>;
/** Message metadata as name/value pairs, as queue clients carry it (`[['traceparent', '00-…']]`). */
export type MetadataPairs = Array<[string, string]>;
/** Every carrier `inject`, `extract` and `linkFrom` understand, told apart at run time. */
export type Carrier = HeaderRecord | Headers | Map<string, string> | MetadataPairs;

/** The getter and setter the propagators use on one kind of carrier. */
export interface CarrierAccessors {
  kind: 'headers' | 'map' | 'pairs' | 'record';
  getter: TextMapGetter;
  setter: TextMapSetter;
}

// Header names are case-insensitive (RFC 9110): propagators ask for lowercase names, senders may
// not write them that way. Lookups try the exact name first; the fallback scan compares lengths
// before it lowercases anything, so a missing header costs little.
const sameName = (a: string, b: string): boolean =>
  a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());

const decoder = new TextDecoder();

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // Kafka and AMQP clients hand header values over as Buffers.
  return value instanceof Uint8Array ? decoder.decode(value) : undefined;
}

function recordValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string');
  return undefined;
}

const RECORD: CarrierAccessors = {
  kind: 'record',
  getter: {
    keys: (carrier: HeaderRecord) => Object.keys(carrier),
    get(carrier: HeaderRecord, key: string) {
      if (Object.hasOwn(carrier, key)) return recordValue(carrier[key]);
      for (const name of Object.keys(carrier)) {
        if (sameName(name, key)) return recordValue(carrier[name]);
      }
      return undefined;
    },
  },
  setter: {
    set(carrier: HeaderRecord, key: string, value: string) {
      // Replace a differently-cased copy, or an HTTP client would send the header twice.
      for (const name of Object.keys(carrier)) {
        if (name !== key && sameName(name, key)) delete carrier[name];
      }
      carrier[key] = value;
    },
  },
};

const HEADERS: CarrierAccessors = {
  kind: 'headers',
  getter: {
    keys: (carrier: Headers) => Array.from(carrier.keys()),
    get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
  },
  setter: { set: (carrier: Headers, key: string, value: string) => carrier.set(key, value) },
};

const MAP: CarrierAccessors = {
  kind: 'map',
  getter: {
    keys: (carrier: Map<string, unknown>) => Array.from(carrier.keys()),
    get(carrier: Map<string, unknown>, key: string) {
      if (carrier.has(key)) return text(carrier.get(key));
      for (const [name, value] of carrier) if (sameName(name, key)) return text(value);
      return undefined;
    },
  },
  setter: {
    set(carrier: Map<string, unknown>, key: string, value: string) {
      for (const name of carrier.keys())
        if (name !== key && sameName(name, key)) carrier.delete(name);
      carrier.set(key, value);
    },
  },
};

const PAIRS: CarrierAccessors = {
  kind: 'pairs',
  getter: {
    keys: (carrier: MetadataPairs) => carrier.map(([name]) => name),
    get(carrier: MetadataPairs, key: string) {
      for (const [name, value] of carrier) if (sameName(name, key)) return text(value);
      return undefined;
    },
  },
  setter: {
    // Replaces the first pair with that name in place (dropping later duplicates), else appends.
    set(carrier: MetadataPairs, key: string, value: string) {
      let found = false;
      for (let i = 0; i < carrier.length; i++) {
        const name = carrier[i]?.[0];
        if (name === undefined || !sameName(name, key)) continue;
        if (found) carrier.splice(i--, 1);
        else carrier[i] = [key, value];
        found = true;
      }
      if (!found) carrier.push([key, value]);
    },
  },
};

function isHeaders(carrier: object): carrier is Headers {
  if (typeof Headers === 'function' && carrier instanceof Headers) return true;
  // Headers of another fetch implementation or realm: same tag and methods, different class.
  const maybe = carrier as Partial<Headers>;
  return (
    Object.prototype.toString.call(carrier) === '[object Headers]' &&
    typeof maybe.get === 'function' &&
    typeof maybe.set === 'function' &&
    typeof maybe.keys === 'function'
  );
}

function isPairs(carrier: unknown[]): boolean {
  return carrier.every(
    (pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string',
  );
}

function isPlainObject(carrier: object): boolean {
  const proto: unknown = Object.getPrototypeOf(carrier);
  // `Object.prototype` of this or another realm, or a null-prototype object (`getHeaders()`).
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The getter and setter for `carrier`, told apart at run time: WHATWG `Headers`, `Map`, an array
 * of `[name, value]` pairs, or a plain object. Anything else (class instances such as an HTTP
 * response, strings, numbers) is not a carrier and yields `undefined`.
 */
export function carrierAccessors(carrier: unknown): CarrierAccessors | undefined {
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  if (Array.isArray(carrier)) return isPairs(carrier) ? PAIRS : undefined;
  if (carrier instanceof Map) return MAP;
  if (isHeaders(carrier)) return HEADERS;
  return isPlainObject(carrier) ? RECORD : undefined;
}
