import { Checkpoint } from './checkpoint.js';
import { ArenaError, ArenaFullError, describeValue, invalidOption } from './errors.js';
import {
  type ArenaOptions,
  checkSamplingRate,
  isPowerOfTwo,
  MAX_ALIGNMENT,
  type ResolvedTelemetry,
  resolveArenaOptions,
} from './options.js';
import { ArenaTelemetry, COUNTDOWN_IDLE } from './telemetry/arena-telemetry.js';
import { NOOP_PATTERN, type PatternScope } from './telemetry/pattern-scope.js';

const MAX_OPEN_CHECKPOINTS = 65536;

/** A snapshot of an arena's counters, what the `sightline.arena.*` metrics report. */
export interface ArenaStats {
  name: string;
  /** The zone's name, for a zone; undefined for a top-level arena. */
  zone: string | undefined;
  /** Bytes the arena can hand out now: the buffer, all chunks, or the zone's reservation. */
  capacity: number;
  /** Bytes consumed from the start: live allocations, alignment padding and abandoned chunk tails. */
  used: number;
  /** The largest `used` ever seen (not lowered by reset or rollback). */
  highWaterMark: number;
  /** Bytes requested by the allocations still live (since the last reset, minus rolled back ones). */
  live: number;
  /** `(used - live) / used`, 0 when nothing is used: the share of used bytes that hold no data. */
  fragmentation: number;
  /** Successful allocations, ever. */
  allocations: number;
  /** Bytes requested by successful allocations, ever. */
  bytesAllocated: number;
  resets: number;
  rollbacks: number;
  /** Allocations that did not fit (tryAlloc returned -1, alloc threw ArenaFullError). */
  failures: number;
  /** Chunks held (1 for a fixed arena or a zone). */
  chunks: number;
  /** Allocations chosen by the byte sampler (spans recorded when a tracer is present). */
  samples: number;
}

/** Any typed-array constructor: `Uint8Array`, `Float64Array`, `BigInt64Array`, … */
export interface TypedArrayConstructor<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** How `zone()` builds a zone over its parent's memory; use `arena.zone()` rather than passing it. */
export interface ZoneInit {
  parent: Arena;
  name: string;
  base: number;
  size: number;
}

/**
 * A bump allocator over an ArrayBuffer or SharedArrayBuffer (fixed capacity) or a list of equal
 * chunks (growable). Allocations return byte offsets; ask for typed views when you need them.
 * The hot path touches only plain number fields; telemetry runs at collection time or at random
 * byte intervals (see `docs/arena.md`).
 *
 * Full contract: `tryAlloc()` returns -1 and `alloc()` throws `ArenaFullError`, both counting a
 * failure. Bad input (a size that is not a positive integer, an alignment that is not a power of
 * two) throws `ArenaError` from both.
 *
 * @example
 * ```ts
 * import { Arena } from '@sightline/arena';
 *
 * const arena = new Arena({ name: 'parser', capacity: 1 << 20 });
 * const header = arena.alloc(16);
 * arena.dataView(header, 16).setUint32(0, 0xcafe);
 * arena.reset();
 * ```
 */
export class Arena implements Disposable {
  /** Reported as `sightline.arena.name`. */
  readonly name: string;
  /** The zone's name (`sightline.arena.zone`), or undefined for a top-level arena. */
  readonly zoneName: string | undefined;
  /** The alignment of `alloc()` and `tryAlloc()`. */
  readonly alignment: number;
  /** Bytes per chunk; the whole buffer for a fixed arena. */
  readonly chunkSize: number;
  readonly growable: boolean;
  /** The arena this zone was carved from, or undefined. */
  readonly parent: Arena | undefined;

  // Hot fields: plain numbers, the only state alloc() touches on its fast path. Each starts as a
  // small integer (not undefined) so V8 keeps it an untagged Smi field.
  /** @internal Next free offset. */
  _top = 0;
  /** @internal End of the current chunk (or of the buffer or zone). */
  _limit = 0;
  /** @internal alignment - 1. */
  _mask = 7;
  /** @internal */
  _allocs = 0;
  /**
   * @internal Bytes until the sampler's next decision (see ArenaTelemetry). It also counts bytes
   * allocated, so the fast path needs no separate byte counter: bytes = _counted + _armed - _countdown.
   */
  _countdown = COUNTDOWN_IDLE;

  // Cold fields.
  /** @internal The value the countdown was last armed with. */
  _armed = COUNTDOWN_IDLE;
  /** @internal Bytes counted down before the last arming. */
  _counted = 0;
  /** @internal Requested bytes released by reset and rollback: live = bytesAllocated - _released. */
  _released = 0;
  /** @internal */
  _failures = 0;
  /** @internal */
  _resets = 0;
  /** @internal */
  _rollbacks = 0;
  /** @internal */
  _hwm = 0;
  /** @internal */
  _tel: ArenaTelemetry | null = null;
  /** @internal Shared with zones: a zone sees its parent's chunks. */
  readonly _chunks: (ArrayBuffer | SharedArrayBuffer)[];
  /** @internal */
  readonly _base: number;
  /** @internal */
  readonly _firstLimit: number;
  /** @internal */
  readonly _maxChunks: number;
  /** @internal */
  readonly _shared: boolean;
  /** @internal */
  readonly _telemetrySettings: ResolvedTelemetry;
  /** @internal */
  readonly _checkpoints: Checkpoint[] = [];
  /** @internal */
  _closed = false;

  /**
   * @param options capacity or buffer, growth, alignment, telemetry flags (see `ArenaOptions`);
   *   invalid values throw `SIGHTLINE_ERR_ARENA_INVALID_OPTION` naming the option.
   * @example
   * ```ts
   * const arena = new Arena({ name: 'frames', growable: { chunkSize: 1 << 16 }, telemetry: true });
   * ```
   */
  constructor(options?: ArenaOptions, zoneInit?: ZoneInit) {
    if (zoneInit) {
      const { parent } = zoneInit;
      this.name = parent.name;
      this.zoneName = zoneInit.name;
      this.alignment = parent.alignment;
      this.chunkSize = parent.chunkSize;
      this.growable = false;
      this.parent = parent;
      this._chunks = parent._chunks;
      this._base = zoneInit.base;
      this._firstLimit = zoneInit.base + zoneInit.size;
      this._maxChunks = 1;
      this._shared = parent._shared;
      this._telemetrySettings = parent._telemetrySettings;
    } else {
      const resolved = resolveArenaOptions(options);
      this.name = resolved.name;
      this.zoneName = undefined;
      this.alignment = resolved.alignment;
      this.chunkSize = resolved.chunkSize;
      this.growable = resolved.growable;
      this.parent = undefined;
      this._shared = resolved.shared;
      this._chunks = [resolved.buffer ?? this._newChunk()];
      this._base = 0;
      this._firstLimit = resolved.chunkSize;
      this._maxChunks = resolved.maxChunks;
      this._telemetrySettings = resolved.telemetry;
    }
    this._top = this._base;
    this._limit = this._firstLimit;
    this._mask = this.alignment - 1;
    this._tel = ArenaTelemetry.create(this, this._telemetrySettings);
    if (this._tel) this._rearm(this._tel.firstCountdown());
  }

  /**
   * Allocates `size` bytes at the arena's alignment and returns their offset, or -1 when the arena
   * is full (counted as a failure). Throws `ArenaError` for a size that is not a positive integer.
   *
   * @example
   * ```ts
   * const offset = arena.tryAlloc(24);
   * if (offset === -1) arena.reset();
   * ```
   */
  tryAlloc(size: number): number {
    const top = this._top;
    const off = top + (-top & this._mask);
    const end = off + size;
    if ((size | 0) !== size || size <= 0 || end > this._limit) {
      return this._slowAlloc(size, this._mask + 1, false);
    }
    this._top = end;
    this._allocs++;
    const countdown = this._countdown - size;
    this._countdown = countdown;
    if (countdown <= 0) this._tick(off, size, this._mask + 1);
    return off;
  }

  /**
   * Allocates `size` bytes at the arena's alignment and returns their offset; throws
   * `ArenaFullError` (code `SIGHTLINE_ERR_ARENA_FULL`) when the arena is full.
   *
   * @example
   * ```ts
   * const point = arena.alloc(16);
   * arena.typed(Float64Array, point, 2).set([1.5, -2]);
   * ```
   */
  alloc(size: number): number {
    const top = this._top;
    const off = top + (-top & this._mask);
    const end = off + size;
    if ((size | 0) !== size || size <= 0 || end > this._limit) {
      return this._slowAlloc(size, this._mask + 1, true);
    }
    this._top = end;
    this._allocs++;
    const countdown = this._countdown - size;
    this._countdown = countdown;
    if (countdown <= 0) this._tick(off, size, this._mask + 1);
    return off;
  }

  /**
   * Like `tryAlloc()`, at `alignment` (a power of two up to 65536) instead of the arena's own.
   *
   * @example
   * ```ts
   * const line = arena.tryAllocAligned(256, 64); // a cache-line aligned block, or -1
   * ```
   */
  tryAllocAligned(size: number, alignment: number): number {
    const mask = alignment - 1;
    const top = this._top;
    const off = top + (-top & mask);
    const end = off + size;
    if (
      (size | 0) !== size ||
      size <= 0 ||
      end > this._limit ||
      (alignment & mask) !== 0 ||
      (alignment | 0) !== alignment ||
      alignment <= 0 ||
      alignment > MAX_ALIGNMENT
    ) {
      return this._slowAlloc(size, alignment, false);
    }
    this._top = end;
    this._allocs++;
    const countdown = this._countdown - size;
    this._countdown = countdown;
    if (countdown <= 0) this._tick(off, size, alignment);
    return off;
  }

  /**
   * Like `alloc()`, at `alignment` (a power of two up to 65536) instead of the arena's own.
   *
   * @example
   * ```ts
   * const simd = arena.allocAligned(64, 16);
   * ```
   */
  allocAligned(size: number, alignment: number): number {
    const mask = alignment - 1;
    const top = this._top;
    const off = top + (-top & mask);
    const end = off + size;
    if (
      (size | 0) !== size ||
      size <= 0 ||
      end > this._limit ||
      (alignment & mask) !== 0 ||
      (alignment | 0) !== alignment ||
      alignment <= 0 ||
      alignment > MAX_ALIGNMENT
    ) {
      return this._slowAlloc(size, alignment, true);
    }
    this._top = end;
    this._allocs++;
    const countdown = this._countdown - size;
    this._countdown = countdown;
    if (countdown <= 0) this._tick(off, size, alignment);
    return off;
  }

  /** Everything that is not a plain in-chunk bump: validation, large sizes, growth, full. */
  private _slowAlloc(size: number, alignment: number, throws: boolean): number {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_INVALID_SIZE',
        `size ${describeValue(size)} is not a positive integer`,
      );
    }
    if (!isPowerOfTwo(alignment) || alignment > MAX_ALIGNMENT) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_INVALID_ALIGNMENT',
        `alignment ${describeValue(alignment)} is not a power of two from 1 to ${MAX_ALIGNMENT}`,
      );
    }
    const top = this._top;
    const off = top + (-top & (alignment - 1));
    if (off + size <= this._limit) return this._bump(off, size, alignment);
    if (this.growable && size <= this.chunkSize) {
      // Move to the next chunk, reusing one kept from before a reset or rollback when there is one.
      // Chunk sizes are powers of two, so a chunk's first offset meets any alignment up to its size.
      const chunk = this.chunkSize;
      const nextBase = Math.ceil(this._limit / chunk) * chunk;
      const start = nextBase + (-nextBase & (alignment - 1));
      const index = Math.floor(start / chunk);
      if (index < this._maxChunks) {
        let grew = false;
        while (this._chunks.length <= index) {
          this._chunks.push(this._newChunk());
          grew = true;
        }
        this._limit = (index + 1) * chunk;
        if (grew && this._tel) this._tel.onGrow();
        return this._bump(start, size, alignment);
      }
    }
    this._failures++;
    if (this._tel) this._tel.onFull(size, alignment);
    if (!throws) return -1;
    throw new ArenaFullError(this._label(), size, this._fullReason(size));
  }

  private _bump(off: number, size: number, alignment: number): number {
    this._top = off + size;
    this._allocs++;
    const countdown = this._countdown - size;
    this._countdown = countdown;
    if (countdown <= 0) this._tick(off, size, alignment);
    return off;
  }

  /** The sampler's countdown ran out: telemetry decides (a span, a pattern record) and re-arms it. */
  private _tick(off: number, size: number, alignment: number): void {
    const tel = this._tel;
    this._rearm(tel === null ? COUNTDOWN_IDLE : tel.onCountdown(off, size, alignment));
  }

  /** @internal Sets the countdown, first folding the bytes counted down so far into _counted. */
  _rearm(countdown: number): void {
    this._counted += this._armed - this._countdown;
    this._countdown = countdown;
    this._armed = countdown;
  }

  /** Bytes requested by successful allocations, ever. */
  get bytesAllocated(): number {
    return this._counted + (this._armed - this._countdown);
  }

  private _fullReason(size: number): string {
    if (this.zoneName !== undefined)
      return `zone capacity ${this.capacity} bytes, ${this.used} used`;
    if (!this.growable) return `fixed capacity ${this.chunkSize} bytes, ${this.used} used`;
    if (size > this.chunkSize) return `larger than the chunk size ${this.chunkSize}`;
    return `maxChunks ${this._maxChunks} reached`;
  }

  private _label(): string {
    return this.zoneName === undefined ? this.name : `${this.name}/${this.zoneName}`;
  }

  private _newChunk(): ArrayBuffer | SharedArrayBuffer {
    return this._shared ? new SharedArrayBuffer(this.chunkSize) : new ArrayBuffer(this.chunkSize);
  }

  /**
   * Frees every allocation at once (O(1)); chunks are kept for reuse. Closes open checkpoints.
   *
   * @example
   * ```ts
   * for (const frame of frames) {
   *   simulate(arena, frame);
   *   arena.reset();
   * }
   * ```
   */
  reset(): void {
    const usedBefore = this._top - this._base;
    this._noteHighWater();
    this._top = this._base;
    this._limit = this._firstLimit;
    this._released = this.bytesAllocated;
    this._resets++;
    const stack = this._checkpoints;
    for (const cp of stack) cp._closed = true;
    stack.length = 0;
    if (this._tel) this._tel.onReset(usedBefore);
  }

  /**
   * Saves the current position. Roll back to it (or dispose it) to free everything allocated
   * since; see `Checkpoint`.
   *
   * @example
   * ```ts
   * using _ = arena.checkpoint();
   * decode(arena, bytes); // freed when the block ends
   * ```
   */
  checkpoint(): Checkpoint {
    const stack = this._checkpoints;
    if (stack.length >= MAX_OPEN_CHECKPOINTS) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_CHECKPOINT_LIMIT',
        `arena "${this._label()}" has ${stack.length} open checkpoints; roll back, commit or dispose them`,
      );
    }
    const cp = new Checkpoint(
      this,
      this._top,
      this._limit,
      this.bytesAllocated - this._released,
      stack.length,
    );
    stack.push(cp);
    return cp;
  }

  /**
   * Frees everything allocated since `checkpoint` was taken and closes it and every checkpoint
   * taken after it. Throws `SIGHTLINE_ERR_ARENA_FOREIGN_CHECKPOINT` for another arena's checkpoint
   * and `SIGHTLINE_ERR_ARENA_STALE_CHECKPOINT` for a closed one.
   *
   * @example
   * ```ts
   * const cp = arena.checkpoint();
   * arena.alloc(100);
   * arena.rollback(cp); // arena.used is back where it was
   * ```
   */
  rollback(checkpoint: Checkpoint): void {
    if (!(checkpoint instanceof Checkpoint) || checkpoint.arena !== this) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_FOREIGN_CHECKPOINT',
        `the checkpoint does not belong to arena "${this._label()}"`,
      );
    }
    if (checkpoint._closed) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_STALE_CHECKPOINT',
        `the checkpoint at offset ${checkpoint.offset} of arena "${this._label()}" is closed (rolled back, committed, or the arena was reset)`,
      );
    }
    this._noteHighWater();
    this._close(checkpoint);
    this._top = checkpoint.offset;
    this._limit = checkpoint._limit;
    this._released = this.bytesAllocated - checkpoint._live;
    this._rollbacks++;
  }

  /** @internal Closes a checkpoint and every one taken after it, keeping the allocations. */
  _close(checkpoint: Checkpoint): void {
    if (checkpoint._closed) return;
    const stack = this._checkpoints;
    for (let i = checkpoint._depth; i < stack.length; i++) {
      const cp = stack[i];
      if (cp) cp._closed = true;
    }
    stack.length = checkpoint._depth;
  }

  /**
   * Carves a named zone of `size` bytes out of this arena: a fixed sub-arena with its own
   * counters, reset, checkpoints and metrics series (`sightline.arena.zone`). Its offsets are
   * offsets of this arena, so views work through either. Resetting or rolling back the parent
   * past the zone's reservation frees the zone's memory too.
   *
   * @example
   * ```ts
   * const headers = arena.zone('headers', 4096);
   * const h = headers.alloc(32);
   * ```
   */
  zone(name: string, size: number): Arena {
    if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
      invalidOption('zone.name', name, 'a string of 1 to 128 characters');
    }
    if (!Number.isSafeInteger(size) || size <= 0) {
      invalidOption('zone.size', size, 'a positive integer');
    }
    const base = this.allocAligned(size, Math.max(64, this.alignment));
    return new Arena(undefined, { parent: this, name, base, size });
  }

  /**
   * Opens a pattern scope: until it ends, the arena records the count, bytes and size histogram of
   * its allocations, then records a span with a fingerprint of that histogram, flagging a change
   * from the previous scope of the same name. A no-op scope unless the `patterns` flag is on.
   *
   * @example
   * ```ts
   * {
   *   using _ = arena.pattern('parse-request');
   *   parseRequest(arena, bytes);
   * } // span "parse-request" with sightline.arena.pattern.* attributes
   * ```
   */
  pattern(name: string): PatternScope {
    if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
      invalidOption('pattern.name', name, 'a string of 1 to 128 characters');
    }
    return this._tel ? this._tel.openPattern(name) : NOOP_PATTERN;
  }

  /** The sampling rate in [0, 1]: probability that an allocated byte is sampled. */
  get samplingRate(): number {
    return this._tel ? this._tel.rate : this._telemetrySettings.samplingRate;
  }

  /**
   * Changes the sampling rate at run time (0 stops sampling, 1 samples every allocation); the
   * next interval is drawn at once. Throws `SIGHTLINE_ERR_ARENA_INVALID_OPTION` outside [0, 1].
   *
   * @example
   * ```ts
   * arena.setSamplingRate(highLoad ? 0 : 2 ** -16);
   * ```
   */
  setSamplingRate(rate: number): void {
    checkSamplingRate('samplingRate', rate);
    if (this._tel) this._rearm(this._tel.setRate(rate));
  }

  /** Bytes the arena can hand out now (all chunks of a growable arena). */
  get capacity(): number {
    if (this.zoneName !== undefined) return this._firstLimit - this._base;
    return this.growable ? this._chunks.length * this.chunkSize : this.chunkSize;
  }

  /** Bytes consumed: live data, alignment padding and abandoned chunk tails. */
  get used(): number {
    return this._top - this._base;
  }

  /** The first chunk: the whole memory of a fixed arena. */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this._chunks[0] as ArrayBuffer | SharedArrayBuffer;
  }

  /** Every chunk, in offset order (chunk i holds offsets i*chunkSize to (i+1)*chunkSize - 1). */
  get chunks(): readonly (ArrayBuffer | SharedArrayBuffer)[] {
    return this._chunks;
  }

  /**
   * Counters, consistent with the metrics. Cheap: a handful of field reads.
   *
   * @example
   * ```ts
   * const { used, fragmentation, failures } = arena.stats();
   * ```
   */
  stats(): ArenaStats {
    const used = this.used;
    const bytesAllocated = this.bytesAllocated;
    const live = bytesAllocated - this._released;
    this._noteHighWater();
    return {
      name: this.name,
      zone: this.zoneName,
      capacity: this.capacity,
      used,
      highWaterMark: this._hwm,
      live,
      fragmentation: used > 0 ? (used - live) / used : 0,
      allocations: this._allocs,
      bytesAllocated: bytesAllocated,
      resets: this._resets,
      rollbacks: this._rollbacks,
      failures: this._failures,
      chunks: this.zoneName === undefined ? this._chunks.length : 1,
      samples: this._tel ? this._tel.samples : 0,
    };
  }

  /** @internal */
  _noteHighWater(): void {
    const used = this._top - this._base;
    if (used > this._hwm) this._hwm = used;
  }

  /** The chunk holding `offset`, and the offset inside it (for your own views or Atomics). */
  locate(
    offset: number,
    byteLength = 0,
  ): { buffer: ArrayBuffer | SharedArrayBuffer; byteOffset: number } {
    const index = Math.floor(offset / this.chunkSize);
    const buffer = this._chunks[index];
    const byteOffset = offset - index * this.chunkSize;
    if (
      buffer === undefined ||
      !Number.isSafeInteger(offset) ||
      offset < 0 ||
      !Number.isSafeInteger(byteLength) ||
      byteLength < 0 ||
      byteOffset + byteLength > this.chunkSize
    ) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_INVALID_OFFSET',
        `offset ${describeValue(offset)} with length ${describeValue(byteLength)} is outside arena "${this._label()}"`,
      );
    }
    return { buffer, byteOffset };
  }

  /**
   * A `Uint8Array` over `length` bytes at `offset` (a view costs tens of ns: ask only when needed).
   *
   * @example
   * ```ts
   * const off = arena.alloc(payload.length);
   * arena.bytes(off, payload.length).set(payload);
   * ```
   */
  bytes(offset: number, length: number): Uint8Array {
    const { buffer, byteOffset } = this.locate(offset, length);
    return new Uint8Array(buffer, byteOffset, length);
  }

  /**
   * A `DataView` over `length` bytes at `offset`.
   *
   * @example
   * ```ts
   * arena.dataView(off, 8).setFloat64(0, Math.PI, true);
   * ```
   */
  dataView(offset: number, length: number): DataView {
    const { buffer, byteOffset } = this.locate(offset, length);
    return new DataView(buffer, byteOffset, length);
  }

  /**
   * A typed array of `length` elements at `offset`; the offset must be a multiple of the element
   * size (allocate with that alignment).
   *
   * @example
   * ```ts
   * const xs = arena.typed(Float64Array, arena.alloc(8 * 4), 4);
   * ```
   */
  typed<T>(ctor: TypedArrayConstructor<T>, offset: number, length: number): T {
    const { buffer, byteOffset } = this.locate(offset, length * ctor.BYTES_PER_ELEMENT);
    if (byteOffset % ctor.BYTES_PER_ELEMENT !== 0) {
      throw new ArenaError(
        'SIGHTLINE_ERR_ARENA_INVALID_OFFSET',
        `offset ${offset} is not a multiple of ${ctor.BYTES_PER_ELEMENT} (the element size)`,
      );
    }
    return new ctor(buffer, byteOffset, length);
  }

  /**
   * Stops reporting the arena's metrics and ends its telemetry. The memory stays usable.
   *
   * @example
   * ```ts
   * using arena = new Arena({ name: 'request' }); // closed at the end of the block
   * ```
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    if (this._tel) this._tel.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
