/**
 * The one registry of `SIGHTLINE_ERR_ARENA_*` codes thrown by `@sightline/arena`.
 * Every code here is documented in the `@sightline/arena` section of `docs/errors.md`; a test keeps
 * the two in sync.
 */
export const ARENA_ERROR_CODES = {
  SIGHTLINE_ERR_ARENA_INVALID_OPTION:
    'An option passed to new Arena(), zone() or setSamplingRate() has an invalid value.',
  SIGHTLINE_ERR_ARENA_INVALID_SIZE:
    'An allocation size is not a positive safe integer (0, negative, fractional, NaN).',
  SIGHTLINE_ERR_ARENA_INVALID_ALIGNMENT:
    'An alignment is not a power of two from 1 to 65536, or larger than the chunk size.',
  SIGHTLINE_ERR_ARENA_FULL:
    'alloc() found no room: the fixed capacity, or the growable arena’s maxChunks, is used up.',
  SIGHTLINE_ERR_ARENA_FOREIGN_CHECKPOINT:
    'rollback() was given a checkpoint taken on another arena.',
  SIGHTLINE_ERR_ARENA_STALE_CHECKPOINT:
    'rollback() was given a checkpoint that is closed: already rolled back or committed, or the arena was reset.',
  SIGHTLINE_ERR_ARENA_CHECKPOINT_LIMIT:
    'More than 65536 checkpoints are open on one arena at once (usually checkpoints never closed).',
  SIGHTLINE_ERR_ARENA_INVALID_OFFSET:
    'A typed view was asked for an offset or length outside the arena’s memory.',
} as const;

export type ArenaErrorCode = keyof typeof ARENA_ERROR_CODES;

// Branded with global symbols so that `instanceof` holds across two copies of the package in one
// app. `sightline.error` is the brand `SightlineError` of @sightline/node checks, so an arena error
// is also `instanceof SightlineError` there.
const sightlineBrand = Symbol.for('sightline.error');
const arenaBrand = Symbol.for('sightline.arena.error');
const fullBrand = Symbol.for('sightline.arena.full');

function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/**
 * An error thrown by the arena for bad input (a size, an alignment, a checkpoint) or an invalid
 * option. Allocation telemetry never throws.
 *
 * @example
 * ```ts
 * try {
 *   arena.alloc(0);
 * } catch (error) {
 *   if (error instanceof ArenaError) console.log(error.code); // SIGHTLINE_ERR_ARENA_INVALID_SIZE
 * }
 * ```
 */
export class ArenaError extends Error {
  readonly code: ArenaErrorCode;

  constructor(code: ArenaErrorCode, message: string, options?: ErrorOptions) {
    super(`${code}: ${message}`, options);
    this.name = 'ArenaError';
    this.code = code;
  }

  get [sightlineBrand](): true {
    return true;
  }

  get [arenaBrand](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, arenaBrand);
  }
}

/**
 * Thrown by `alloc()` (never by `tryAlloc()`, which returns -1) when the arena has no room left.
 *
 * @example
 * ```ts
 * try {
 *   arena.alloc(1 << 20);
 * } catch (error) {
 *   if (error instanceof ArenaFullError) arena.reset();
 * }
 * ```
 */
export class ArenaFullError extends ArenaError {
  /** The size that did not fit, in bytes. */
  readonly size: number;
  /** The arena's name. */
  readonly arena: string;

  constructor(arena: string, size: number, detail: string) {
    super('SIGHTLINE_ERR_ARENA_FULL', `arena "${arena}" cannot allocate ${size} bytes: ${detail}`);
    this.name = 'ArenaFullError';
    this.size = size;
    this.arena = arena;
  }

  get [fullBrand](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, fullBrand);
  }
}

/** Throws a `SIGHTLINE_ERR_ARENA_INVALID_OPTION` naming the option and the offending value. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw new ArenaError(
    'SIGHTLINE_ERR_ARENA_INVALID_OPTION',
    `option "${option}" has invalid value ${describeValue(value)}: expected ${expected}`,
  );
}

/** A short, safe rendering of a user value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
