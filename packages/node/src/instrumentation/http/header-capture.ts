import type { Attributes } from '@opentelemetry/api';

/** One allow-listed header: its lowercase name and the attribute it is copied to. */
export interface HeaderCapture {
  readonly name: string;
  readonly attribute: string;
}

/** Precomputes the attribute keys (`http.request.header.<name>`) once, not per request. */
export function headerCaptures(
  names: readonly string[],
  direction: 'request' | 'response',
): HeaderCapture[] {
  return [...new Set(names.map((name) => name.toLowerCase()))].map((name) => ({
    name,
    attribute: `http.${direction}.header.${name}`,
  }));
}

/** A header value as semconv records it: an array of strings. */
export function headerValues(value: string | number | readonly string[]): string[] {
  return typeof value === 'object' ? [...value] : [String(value)];
}

type HeaderValue = string | number | readonly string[] | undefined;

/**
 * Copies allow-listed headers from `source` through `get` (module-level getters, so no closure is
 * made per request). Allow-list only: semconv warns that capturing every header leaks credentials.
 */
export function captureHeaders<S>(
  attributes: Attributes,
  captures: readonly HeaderCapture[],
  source: S,
  get: (source: S, name: string) => HeaderValue,
): void {
  for (const capture of captures) {
    const value = get(source, capture.name);
    if (value !== undefined) attributes[capture.attribute] = headerValues(value);
  }
}

/** A header of a Node headers object (lowercase keys). */
export function fromHeaders(headers: Record<string, HeaderValue>, name: string): HeaderValue {
  return headers[name];
}

/** A header of an outgoing message (`ClientRequest`, `ServerResponse`). */
export function fromOutgoing(message: { getHeader(name: string): HeaderValue }, name: string) {
  return message.getHeader(name);
}

/**
 * The values of `name` (lowercase) in undici's flat header list (`[name, value, name, value …]`,
 * strings or Buffers, names in any case), or in the raw `name: value\r\n` text older undici uses.
 */
export function rawHeaderValues(
  raw: ReadonlyArray<string | Buffer> | string | undefined,
  name: string,
): string[] | undefined {
  if (raw === undefined) return undefined;
  const values: string[] = [];
  if (typeof raw === 'string') {
    for (const line of raw.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon === name.length && line.slice(0, colon).toLowerCase() === name)
        values.push(line.slice(colon + 1).trim());
    }
  } else {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = raw[i] as string | Buffer;
      if (key.length === name.length && key.toString().toLowerCase() === name)
        values.push((raw[i + 1] as string | Buffer).toString());
    }
  }
  return values.length > 0 ? values : undefined;
}

/** A `content-length` value as a non-negative integer, or undefined. */
export function contentLength(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null) return undefined;
  const length = typeof text === 'number' ? text : Number(text);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
