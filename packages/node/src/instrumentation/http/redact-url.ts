import { authorityEnd } from './absolute-url.js';

/**
 * Query keys whose values are replaced by `REDACTED` in `url.query` and `url.full`: the semantic
 * conventions' list (AWS, Azure and Google signed URLs) plus common credential names. Matched
 * case-insensitively: semconv asks for case-sensitive matching of its list, but redacting `Token=`
 * as well as `token=` only ever removes a secret.
 */
const SENSITIVE_QUERY_KEYS: ReadonlySet<string> = new Set(
  [
    'AWSAccessKeyId',
    'Signature',
    'sig',
    'X-Goog-Signature',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'X-Amz-Security-Token',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'password',
    'passwd',
    'secret',
    'client_secret',
    'key',
    'api_key',
    'apikey',
  ].map((key) => key.toLowerCase()),
);

export const REDACTED = 'REDACTED';

function isSensitiveKey(key: string): boolean {
  if (key.includes('%')) {
    try {
      key = decodeURIComponent(key);
    } catch {
      // A malformed escape is not one of our keys.
    }
  }
  return SENSITIVE_QUERY_KEYS.has(key.toLowerCase());
}

/**
 * A query string (without `?`) with the values of sensitive keys replaced by `REDACTED`; keys are
 * kept (`q=1&sig=REDACTED`). Returns the input itself when nothing needs redacting.
 *
 * @example
 * ```ts
 * redactQuery('q=shoes&token=abc'); // 'q=shoes&token=REDACTED'
 * ```
 */
export function redactQuery(query: string): string {
  if (query.length === 0 || !query.includes('=')) return query;
  const parts = query.split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf('=');
    if (eq > 0 && eq < part.length - 1 && isSensitiveKey(part.slice(0, eq))) {
      parts[i] = `${part.slice(0, eq + 1)}${REDACTED}`;
      changed = true;
    }
  }
  return changed ? parts.join('&') : query;
}

/** A request target (`/path?query`) or absolute URL with its query redacted. */
export function redactTarget(target: string): string {
  const q = target.indexOf('?');
  if (q === -1) return target;
  const hash = target.indexOf('#', q);
  const query = hash === -1 ? target.slice(q + 1) : target.slice(q + 1, hash);
  const redacted = redactQuery(query);
  if (redacted === query) return target;
  return `${target.slice(0, q + 1)}${redacted}${hash === -1 ? '' : target.slice(hash)}`;
}

/**
 * An absolute URL with userinfo replaced by `REDACTED:REDACTED` (semconv: `url.full` MUST NOT carry
 * credentials) and sensitive query values redacted.
 *
 * @example
 * ```ts
 * redactUrl('https://u:p@example.com/a?sig=x'); // 'https://REDACTED:REDACTED@example.com/a?sig=REDACTED'
 * ```
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('@');
  if (at !== -1) {
    const start = url.indexOf('://') + 3;
    const end = authorityEnd(url, start);
    if (start >= 3 && at < end)
      url = `${url.slice(0, start)}${REDACTED}:${REDACTED}${url.slice(at)}`;
  }
  return redactTarget(url);
}
