/**
 * The `error.type` of a failed request, low-cardinality as semconv asks: the error's string `code`
 * when it has one (`ECONNREFUSED`, `ECONNRESET`, `ABORT_ERR`, `UND_ERR_SOCKET` …), else its `name`
 * (`AbortError`, `TimeoutError`, `Error` …), else `_OTHER`. Numeric codes (a DOMException's 23)
 * are not used: they are not self-explanatory.
 */
export function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code.length > 0) return code;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return '_OTHER';
}

/** The message of an error, for the span status description; never throws. */
export function errorMessageOf(error: unknown): string | undefined {
  try {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
