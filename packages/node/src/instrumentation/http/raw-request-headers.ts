import type { PresenceGetter } from '../../propagation/extract-headers.js';

/** The headers Node keeps once (`matchKnownFields` in `_http_incoming`): later copies are dropped. */
const FIRST_ONLY = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/**
 * One request header as `request.headers[name]` would give it (a later copy dropped for the
 * headers Node keeps once, cookies joined with "; ", the rest with ", "), read from
 * `request.rawHeaders`. `request.headers` is built lazily by Node: an app that never reads it
 * would otherwise pay for building it (~0.7 µs per request, bench/http) only for its telemetry.
 * (A server made with `joinDuplicateHeaders: true` joins repeated once-only headers such as a
 * second `Host` in `request.headers`; here the first one counts, as by default.)
 *
 * @param name the header's name in lower case
 */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i] as string;
    if (key.length !== name.length || (key !== name && !sameLowerName(key, name))) continue;
    const next = raw[i + 1] as string;
    if (value === undefined) {
      value = next;
      if (FIRST_ONLY.has(name)) return value;
    } else {
      value += name === 'cookie' ? `; ${next}` : `, ${next}`;
    }
  }
  return value;
}

/** The first value of each request header the server instrumentation reads (see `readServerHeaders`). */
export interface ServerHeaders {
  host: string | undefined;
  userAgent: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  forwardedFor: string | undefined;
  forwardedHost: string | undefined;
  forwardedProto: string | undefined;
}

/** A `ServerHeaders` with nothing read, for `readServerHeaders` to fill. */
export function emptyServerHeaders(): ServerHeaders {
  return {
    host: undefined,
    userAgent: undefined,
    contentLength: undefined,
    transferEncoding: undefined,
    forwardedFor: undefined,
    forwardedHost: undefined,
    forwardedProto: undefined,
  };
}

/**
 * The headers the server instrumentation reads, in one pass over `rawHeaders` instead of one pass
 * per header (seven). Only the first copy of each is kept: that is `rawHeader`'s value for the
 * headers Node keeps once (`Host`, `User-Agent`, `Content-Length`), and for the list-valued ones
 * (`X-Forwarded-*`) the first entry of the joined value, the only part the instrumentation reads,
 * is the first copy's. Fills `into` (reset first) and returns it.
 */
export function readServerHeaders(raw: readonly string[], into: ServerHeaders): ServerHeaders {
  into.host = undefined;
  into.userAgent = undefined;
  into.contentLength = undefined;
  into.transferEncoding = undefined;
  into.forwardedFor = undefined;
  into.forwardedHost = undefined;
  into.forwardedProto = undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i] as string;
    const value = raw[i + 1] as string;
    switch (key.length) {
      case 4:
        if (into.host === undefined && sameLowerName(key, 'host')) into.host = value;
        break;
      case 10:
        if (into.userAgent === undefined && sameLowerName(key, 'user-agent'))
          into.userAgent = value;
        break;
      case 14:
        if (into.contentLength === undefined && sameLowerName(key, 'content-length'))
          into.contentLength = value;
        break;
      case 15:
        if (into.forwardedFor === undefined && sameLowerName(key, 'x-forwarded-for'))
          into.forwardedFor = value;
        break;
      case 16:
        if (into.forwardedHost === undefined && sameLowerName(key, 'x-forwarded-host'))
          into.forwardedHost = value;
        break;
      case 17:
        if (sameLowerName(key, 'x-forwarded-proto')) into.forwardedProto ??= value;
        else if (sameLowerName(key, 'transfer-encoding')) into.transferEncoding ??= value;
        break;
    }
  }
  return into;
}

/**
 * Whether a header name equals `name` (lower case, same length) ignoring ASCII case: header names
 * are tokens, ASCII only (Node's parser refuses others). Not `toLowerCase()`, a runtime call per
 * compare: with a client's `Host`, 0.09 µs per request in bench/http's profile of the server.
 */
function sameLowerName(key: string, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    let c = key.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 32; // A-Z
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** The propagators' view of `request.rawHeaders`, with the names in lower case. */
export const rawHeadersGetter: PresenceGetter<readonly string[]> = {
  get(raw, key) {
    return rawHeader(raw, key.toLowerCase());
  },
  hasAny(raw, names) {
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i] as string;
      for (const name of names) {
        if (key.length === name.length && (key === name || sameLowerName(key, name))) return true;
      }
    }
    return false;
  },
  keys(raw) {
    const names = new Set<string>();
    for (let i = 0; i < raw.length; i += 2) names.add((raw[i] as string).toLowerCase());
    return [...names];
  },
};
