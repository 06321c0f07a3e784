/**
 * The one registry of `SIGHTLINE_ERR_*` codes thrown by `@sightline/node`.
 * Every code here is documented in `docs/errors.md`; a test keeps the two in sync.
 */
export const ERROR_CODES = {
  SIGHTLINE_ERR_INVALID_OPTION:
    'An option passed to init() (or found in the SIGHTLINE_CONFIG file) has an invalid value.',
  SIGHTLINE_ERR_UNKNOWN_OPTION:
    'An option passed to init() is not one Sightline knows (usually a typo).',
  SIGHTLINE_ERR_CONFIG_FILE: 'The JSON file named by SIGHTLINE_CONFIG cannot be read or parsed.',
} as const;

export type SightlineErrorCode = keyof typeof ERROR_CODES;

// Branded with a global symbol so that `instanceof` holds across two copies of the package in one app.
const brand = Symbol.for('sightline.error');

/** An error thrown by Sightline at setup time. Telemetry paths never throw; they report through `diag`. */
export class SightlineError extends Error {
  readonly code: SightlineErrorCode;

  constructor(code: SightlineErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
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

/** Throws a `SIGHTLINE_ERR_INVALID_OPTION` naming the option and the offending value. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw new SightlineError(
    'SIGHTLINE_ERR_INVALID_OPTION',
    `SIGHTLINE_ERR_INVALID_OPTION: option "${option}" has invalid value ${describeValue(value)}: expected ${expected}`,
  );
}

/** A short, safe rendering of a user value for an error or warning message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
