/** RFC 3986 §3.1: a letter, then letters, digits, `+`, `-` or `.`. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/** An absolute URL split into the parts the instrumentation reads. */
export interface AbsoluteUrl {
  /** Lowercase, without `://`. */
  readonly scheme: string;
  /** `[userinfo@]host[:port]`. */
  readonly authority: string;
  /** Path, query and fragment; may be empty. */
  readonly rest: string;
}

/**
 * Splits `scheme://authority/rest`, or returns undefined for anything else (an origin-form target
 * such as `/path?q`). Used for absolute-form request targets (proxies) and undici origins.
 *
 * @example
 * ```ts
 * splitAbsoluteUrl('http://example.com:8080/a?b'); // { scheme: 'http', authority: 'example.com:8080', rest: '/a?b' }
 * ```
 */
export function splitAbsoluteUrl(url: string): AbsoluteUrl | undefined {
  const sep = url.indexOf('://');
  if (sep <= 0 || !SCHEME.test(url.slice(0, sep))) return undefined;
  const end = authorityEnd(url, sep + 3);
  return {
    scheme: url.slice(0, sep).toLowerCase(),
    authority: url.slice(sep + 3, end),
    rest: url.slice(end),
  };
}

/** The index where the authority that starts at `start` ends (`/`, `?`, `#` or the end). */
export function authorityEnd(url: string, start: number): number {
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) return i;
  }
  return url.length;
}
