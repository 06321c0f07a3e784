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
