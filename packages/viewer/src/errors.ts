/**
 * The registry of `SIGHTLINE_ERR_VIEWER_*` codes thrown by `@sightline/viewer` at setup time.
 * Every code is documented in `docs/errors.md` (section `@sightline/viewer`); a test keeps the two in sync.
 */
export const ERROR_CODES = {
  SIGHTLINE_ERR_VIEWER_OPTION: 'A viewer option (or `sightline dev` flag) has an invalid value.',
  SIGHTLINE_ERR_VIEWER_TOKEN_REQUIRED:
    'The viewer was asked to listen on a non-loopback address without a token.',
  SIGHTLINE_ERR_VIEWER_STORE: 'The data directory or its database cannot be opened (or is in use).',
  SIGHTLINE_ERR_VIEWER_LISTEN:
    'A listener could not bind its address (port in use, no permission).',
  SIGHTLINE_ERR_VIEWER_BUNDLE:
    'An export bundle cannot be read, or a run to export does not exist.',
} as const;

export type ViewerErrorCode = keyof typeof ERROR_CODES;

const brand = Symbol.for('sightline.error');

/** An error thrown by the viewer at setup time; `instanceof` holds across package copies (global brand). */
export class SightlineError extends Error {
  readonly code: ViewerErrorCode;

  constructor(code: ViewerErrorCode, message: string, options?: ErrorOptions) {
    super(`${code}: ${message}`, options);
    this.name = 'SightlineError';
    this.code = code;
  }

  get [brand](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[brand] === true
    );
  }
}

/** Throws `SIGHTLINE_ERR_VIEWER_OPTION` naming the option and the value. */
export function invalidViewerOption(option: string, value: unknown, expected: string): never {
  throw new SightlineError(
    'SIGHTLINE_ERR_VIEWER_OPTION',
    `option "${option}" has invalid value ${JSON.stringify(value) ?? String(value)}: expected ${expected}`,
  );
}
