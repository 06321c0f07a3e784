import { invalidOption } from './errors.js';

/** Which telemetry an arena produces. Every flag off means counters only (`arena.stats()`). */
export interface TelemetryFlags {
  /** Sampled allocation spans `sightline.arena.alloc` (size, alignment, zone, outcome). */
  spans: boolean;
  /** Observable `sightline.arena.*` instruments, read at collection time. Default on. */
  metrics: boolean;
  /** Span events on the active span for slow-path moments: growth, a full arena, reset. */
  events: boolean;
  /**
   * Byte-based sampling of allocation spans at `samplingRate`. On by default; off records a span
   * for every allocation (for debugging only: it costs a span per allocation).
   */
  sampling: boolean;
  /** `arena.pattern(name)` scopes record a span with a size-histogram fingerprint. */
  patterns: boolean;
  /** `traceArenas()` records a child span for this arena. */
  distributed: boolean;
}

/** The minimal shape of a `@opentelemetry/api` MeterProvider the arena needs. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): unknown;
}

/** The minimal shape of a `@opentelemetry/api` TracerProvider the arena needs. */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

export interface TelemetryOptions extends Partial<TelemetryFlags> {
  /**
   * Probability that any one allocated byte is sampled, in [0, 1]; the mean distance between
   * samples is 1 / rate bytes, drawn at random (geometric) intervals as Go and V8 do. Default
   * `2 ** -19`: on average one sample per 512 KiB allocated. Change it later with
   * `arena.setSamplingRate()`.
   */
  samplingRate?: number;
  /** Where spans go; default the global tracer provider of `@opentelemetry/api`. */
  tracerProvider?: TracerProviderLike;
  /** Where metrics go; default the global meter provider of `@opentelemetry/api`. */
  meterProvider?: MeterProviderLike;
  /** Uniform random numbers in [0, 1) for the sampler; default `Math.random`. For tests. */
  random?: () => number;
}

export interface GrowableOptions {
  /** Bytes per chunk; default 1 MiB. An allocation larger than one chunk never fits. */
  chunkSize?: number;
  /** Most chunks the arena may hold; default unlimited (`Infinity`). */
  maxChunks?: number;
}

export interface ArenaOptions {
  /** Reported as `sightline.arena.name`; default `"arena"`. Keep it low-cardinality. */
  name?: string;
  /** Fixed capacity in bytes (default 1 MiB); ignored with `buffer` or `growable`. */
  capacity?: number;
  /** Allocate from this buffer (fixed capacity: its byteLength). */
  buffer?: ArrayBuffer | SharedArrayBuffer;
  /** Allocate a SharedArrayBuffer (or SharedArrayBuffer chunks) instead of an ArrayBuffer. */
  shared?: boolean;
  /** Grow by chunks instead of failing when full; `true` means default chunk settings. */
  growable?: boolean | GrowableOptions;
  /** Alignment of `alloc()`/`tryAlloc()`, a power of two; default 8 (fits a Float64Array). */
  alignment?: number;
  /** `true` turns every flag on, `false` every flag off (counters only). Default: metrics only. */
  telemetry?: boolean | TelemetryOptions;
}

export const DEFAULT_CAPACITY = 1 << 20;
export const DEFAULT_CHUNK_SIZE = 1 << 20;
export const DEFAULT_ALIGNMENT = 8;
export const MAX_ALIGNMENT = 65536;
export const DEFAULT_SAMPLING_RATE = 2 ** -19;
/** Largest chunk or fixed capacity: offsets stay exact integers and views stay constructible. */
export const MAX_CAPACITY = 2 ** 32;

export interface ResolvedTelemetry extends TelemetryFlags {
  samplingRate: number;
  tracerProvider: TracerProviderLike | undefined;
  meterProvider: MeterProviderLike | undefined;
  random: () => number;
}

export interface ResolvedArenaOptions {
  name: string;
  shared: boolean;
  buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  /** Bytes of each chunk (the whole buffer for a fixed arena). */
  chunkSize: number;
  growable: boolean;
  maxChunks: number;
  alignment: number;
  telemetry: ResolvedTelemetry;
}

const FLAG_NAMES = ['spans', 'metrics', 'events', 'sampling', 'patterns', 'distributed'] as const;

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

function positiveInt(option: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > max) {
    invalidOption(option, value, `an integer from 1 to ${max}`);
  }
  return value;
}

/** Checks a sampling rate; used by the constructor and by `setSamplingRate()`. */
export function checkSamplingRate(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    invalidOption(option, value, 'a number from 0 to 1');
  }
  return value;
}

/** Validates options at construction; throws `SIGHTLINE_ERR_ARENA_INVALID_OPTION` naming the option. */
export function resolveArenaOptions(options: ArenaOptions = {}): ResolvedArenaOptions {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', options, 'an object');
  const name = options.name ?? 'arena';
  if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
    invalidOption('name', name, 'a string of 1 to 128 characters');
  }
  const shared = options.shared ?? false;
  if (typeof shared !== 'boolean') invalidOption('shared', shared, 'a boolean');
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  if (!isPowerOfTwo(alignment) || alignment > MAX_ALIGNMENT) {
    invalidOption('alignment', alignment, `a power of two from 1 to ${MAX_ALIGNMENT}`);
  }

  let growable = false;
  let chunkSize = DEFAULT_CAPACITY;
  let maxChunks = 1;
  const { buffer } = options;
  if (buffer !== undefined) {
    const isBuffer =
      buffer instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer);
    if (!isBuffer) invalidOption('buffer', buffer, 'an ArrayBuffer or a SharedArrayBuffer');
    if (options.growable) invalidOption('growable', options.growable, 'false with a buffer');
    if (buffer.byteLength === 0 || buffer.byteLength > MAX_CAPACITY) {
      invalidOption('buffer', `byteLength ${buffer.byteLength}`, `1 to ${MAX_CAPACITY} bytes`);
    }
    chunkSize = buffer.byteLength;
  } else if (options.growable !== undefined && options.growable !== false) {
    if (options.growable !== true && (typeof options.growable !== 'object' || !options.growable)) {
      invalidOption('growable', options.growable, 'a boolean or { chunkSize, maxChunks }');
    }
    const g: GrowableOptions = options.growable === true ? {} : options.growable;
    growable = true;
    chunkSize =
      g.chunkSize === undefined
        ? DEFAULT_CHUNK_SIZE
        : positiveInt('growable.chunkSize', g.chunkSize, MAX_CAPACITY);
    // Power-of-two chunks keep every chunk's first offset aligned for any alignment up to its size.
    if (!isPowerOfTwo(chunkSize) && chunkSize !== MAX_CAPACITY) {
      invalidOption('growable.chunkSize', chunkSize, 'a power of two');
    }
    maxChunks =
      g.maxChunks === undefined || g.maxChunks === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : positiveInt('growable.maxChunks', g.maxChunks, 2 ** 20);
  } else if (options.capacity !== undefined) {
    chunkSize = positiveInt('capacity', options.capacity, MAX_CAPACITY);
  }
  if (alignment > chunkSize) {
    invalidOption('alignment', alignment, `at most the chunk size (${chunkSize})`);
  }
  return {
    name,
    shared,
    buffer,
    chunkSize,
    growable,
    maxChunks,
    alignment,
    telemetry: resolveTelemetry(options.telemetry),
  };
}

function resolveTelemetry(value: ArenaOptions['telemetry']): ResolvedTelemetry {
  const resolved: ResolvedTelemetry = {
    spans: false,
    metrics: true,
    events: false,
    sampling: true,
    patterns: false,
    distributed: false,
    samplingRate: DEFAULT_SAMPLING_RATE,
    tracerProvider: undefined,
    meterProvider: undefined,
    random: Math.random,
  };
  if (value === undefined) return resolved;
  if (typeof value === 'boolean') {
    for (const flag of FLAG_NAMES) resolved[flag] = value;
    resolved.sampling = true;
    return resolved;
  }
  if (typeof value !== 'object' || value === null) {
    invalidOption('telemetry', value, 'a boolean or an object of flags');
  }
  const known = new Set<string>([
    ...FLAG_NAMES,
    'samplingRate',
    'tracerProvider',
    'meterProvider',
    'random',
  ]);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) invalidOption(`telemetry.${key}`, key, `one of ${[...known].join(', ')}`);
  }
  for (const flag of FLAG_NAMES) {
    const flagValue = value[flag];
    if (flagValue === undefined) continue;
    if (typeof flagValue !== 'boolean') invalidOption(`telemetry.${flag}`, flagValue, 'a boolean');
    resolved[flag] = flagValue;
  }
  if (value.samplingRate !== undefined) {
    resolved.samplingRate = checkSamplingRate('telemetry.samplingRate', value.samplingRate);
  }
  if (value.tracerProvider !== undefined) {
    if (typeof value.tracerProvider?.getTracer !== 'function') {
      invalidOption('telemetry.tracerProvider', value.tracerProvider, 'a TracerProvider');
    }
    resolved.tracerProvider = value.tracerProvider;
  }
  if (value.meterProvider !== undefined) {
    if (typeof value.meterProvider?.getMeter !== 'function') {
      invalidOption('telemetry.meterProvider', value.meterProvider, 'a MeterProvider');
    }
    resolved.meterProvider = value.meterProvider;
  }
  if (value.random !== undefined) {
    if (typeof value.random !== 'function')
      invalidOption('telemetry.random', value.random, 'a function');
    resolved.random = value.random;
  }
  return resolved;
}
