/**
 * The methods the semantic conventions call "known": RFC 9110, PATCH (RFC 5789) and QUERY. Any other
 * method is recorded as `_OTHER` with the original in `http.request.method_original`, which keeps
 * `http.request.method` low-cardinality whatever clients send.
 */
export const DEFAULT_KNOWN_METHODS: readonly string[] = [
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
  'QUERY',
];

export const OTHER_METHOD = '_OTHER';

/** `http.request.method`: the method when known (case-sensitive, as semconv requires), else `_OTHER`. */
export function normalizeMethod(method: string, known: ReadonlySet<string>): string {
  return known.has(method) ? method : OTHER_METHOD;
}

/** The `{method}` part of an HTTP span name: `HTTP` stands for a method that is not known. */
export function spanNameMethod(normalized: string): string {
  return normalized === OTHER_METHOD ? 'HTTP' : normalized;
}
