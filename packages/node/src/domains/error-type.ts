/**
 * The semantic-convention `error.type` of a thrown value: its class name (`TypeError`,
 * `TimeoutError`), else its `name`, else `_OTHER` (also for thrown non-Errors). Never throws.
 */
export function errorType(error: unknown): string {
  try {
    if (!(error instanceof Error)) return '_OTHER';
    const name = error.constructor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return name;
    return typeof error.name === 'string' && error.name !== '' ? error.name : '_OTHER';
  } catch {
    return '_OTHER';
  }
}
