// The public surface of @sightline/arena: every export by name (no `export *`).

export { Arena, type ArenaStats, type TypedArrayConstructor } from './arena.js';
export { Checkpoint } from './checkpoint.js';
export {
  ARENA_ERROR_CODES,
  ArenaError,
  type ArenaErrorCode,
  ArenaFullError,
} from './errors.js';
export {
  type ArenaOptions,
  DEFAULT_SAMPLING_RATE,
  type GrowableOptions,
  type MeterProviderLike,
  type TelemetryFlags,
  type TelemetryOptions,
  type TracerProviderLike,
} from './options.js';
export { bindArenaMetrics } from './telemetry/arena-metrics.js';
export { nextSampleDistance, representedBytes } from './telemetry/byte-sampler.js';
export type { PatternScope, PatternSummary } from './telemetry/pattern-scope.js';
export { type ArenaOperation, traceArenas } from './telemetry/trace-arenas.js';
export { VERSION } from './version.js';
