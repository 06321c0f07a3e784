/**
 * Value kinds of configuration settings. Each kind checks a value given in code (or a config file)
 * and parses the same value from an environment variable, so both sources share one definition.
 */
export interface Kind<T> {
  /** What a valid value looks like, for error and warning messages. */
  readonly expected: string;
  /** Whether a value from code or a config file is valid. */
  check(value: unknown): value is T;
  /** Parses an environment value; `undefined` means invalid (the caller warns and falls back). */
  parse(raw: string): T | undefined;
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Kind<number> {
  const expected =
    max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  const check = (value: unknown): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  return {
    expected,
    check,
    parse(raw) {
      const text = raw.trim();
      if (!INTEGER.test(text)) return undefined;
      const value = Number(text);
      return check(value) ? value : undefined;
    },
  };
}

export function number(min: number, max: number): Kind<number> {
  const check = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
  return {
    expected: `a number from ${min} to ${max}`,
    check,
    parse(raw) {
      const text = raw.trim();
      if (!NUMBER.test(text)) return undefined;
      const value = Number(text);
      return check(value) ? value : undefined;
    },
  };
}

/**
 * Booleans. From the environment only `true` and `false` (any case) are valid, as the specification
 * says; anything else warns and falls back.
 */
export const boolean: Kind<boolean> = {
  expected: 'true or false',
  check: (value): value is boolean => typeof value === 'boolean',
  parse(raw) {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    return undefined;
  },
};

export function oneOf<const T extends string>(values: readonly T[]): Kind<T> {
  const check = (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);
  return {
    expected: `one of ${values.join(', ')}`,
    check,
    parse(raw) {
      const text = raw.trim().toLowerCase();
      return check(text) ? text : undefined;
    },
  };
}

/**
 * A list of names, as `OTEL_TRACES_EXPORTER=otlp,console`. `none` alone means the empty list.
 * In the environment, unknown entries make the whole value invalid (warn, fall back to the default).
 */
export function listOf<const T extends string>(values: readonly T[]): Kind<T[]> {
  const item = oneOf(values);
  const check = (value: unknown): value is T[] =>
    Array.isArray(value) && value.every((v) => item.check(v));
  return {
    expected: `a list of ${values.join(', ')}`,
    check,
    parse(raw) {
      const items = raw
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s.length > 0);
      if (items.length === 0 || !check(items)) return undefined;
      // `none` wins over everything else, so `none` alone and `otlp,none` both disable the signal.
      if ((items as string[]).includes('none')) return [];
      return [...new Set(items)];
    },
  };
}

export const nonEmptyString: Kind<string> = {
  expected: 'a non-empty string',
  check: (value): value is string => typeof value === 'string' && value.trim().length > 0,
  parse: (raw) => (raw.trim().length > 0 ? raw.trim() : undefined),
};

/** An absolute http(s) URL. */
export const httpUrl: Kind<string> = {
  expected: 'an absolute http:// or https:// URL',
  check: (value): value is string => typeof value === 'string' && isHttpUrl(value),
  parse: (raw) => (isHttpUrl(raw.trim()) ? raw.trim() : undefined),
};

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * `key=value,key2=value2` with percent-encoded keys and values, the format of
 * `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES`. A malformed entry makes the whole value
 * invalid: the specification asks to discard it rather than guess.
 */
export const keyValueMap: Kind<Record<string, string>> = {
  expected: 'key=value pairs (an object of strings in code)',
  check: (value): value is Record<string, string> =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([k, v]) => k.length > 0 && typeof v === 'string'),
  parse(raw) {
    const result: Record<string, string> = {};
    for (const entry of raw.split(',')) {
      if (entry.trim() === '') continue;
      const eq = entry.indexOf('=');
      if (eq <= 0) return undefined;
      try {
        const key = decodeURIComponent(entry.slice(0, eq).trim());
        const value = decodeURIComponent(entry.slice(eq + 1).trim());
        if (key === '') return undefined;
        result[key] = value;
      } catch {
        return undefined;
      }
    }
    return result;
  },
};

/** Resource attributes given in code: string, number or boolean values. */
export const attributeMap: Kind<Record<string, string | number | boolean>> = {
  expected: 'an object of string, number or boolean values',
  check: (value): value is Record<string, string | number | boolean> =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(
      ([k, v]) =>
        k.length > 0 &&
        (typeof v === 'string' ||
          typeof v === 'boolean' ||
          (typeof v === 'number' && Number.isFinite(v))),
    ),
  parse: (raw) => keyValueMap.parse(raw),
};

/** A list of free-form names, as `SIGHTLINE_BAGGAGE_ATTRIBUTES=tenant,user.id`; blanks are skipped. */
export const nameList: Kind<string[]> = {
  expected: 'a comma-separated list of names (an array of non-empty strings in code)',
  check: (value): value is string[] =>
    Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== ''),
  parse(raw) {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return items.length > 0 ? [...new Set(items)] : undefined;
  },
};

/**
 * Names from a known set, as `OTEL_NODE_ENABLED_INSTRUMENTATIONS=http,pg`. In code an unknown name
 * is invalid (it is a typo); from the environment every name is kept, so the consumer can warn about
 * the unknown ones by name and still honour the rest, as `auto-instrumentations-node` does.
 */
export function namesOf(values: readonly string[]): Kind<string[]> {
  return {
    expected: `an array of names from: ${values.join(', ')}`,
    check: (value): value is string[] =>
      Array.isArray(value) && value.every((v) => typeof v === 'string' && values.includes(v)),
    parse(raw) {
      const items = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      return [...new Set(items)];
    },
  };
}

const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/** A list of HTTP tokens (header or method names), as `SIGHTLINE_HTTP_REQUEST_HEADERS=x-request-id`. */
export const tokenList: Kind<string[]> = {
  expected: 'a comma-separated list of HTTP header or method names (an array of strings in code)',
  check: (value): value is string[] =>
    Array.isArray(value) && value.every((v) => typeof v === 'string' && TOKEN.test(v)),
  parse(raw) {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return items.every((s) => TOKEN.test(s)) ? [...new Set(items)] : undefined;
  },
};
