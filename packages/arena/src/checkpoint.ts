import type { Arena } from './arena.js';

/**
 * A saved allocation position. `rollback()` frees everything allocated since; `commit()` keeps it.
 * Either one closes the checkpoint (and every checkpoint taken after it). Disposing an open
 * checkpoint rolls back, so `using` scopes a batch of allocations to a block.
 *
 * @example
 * ```ts
 * for (const message of messages) {
 *   using _ = arena.checkpoint(); // everything allocated in this iteration is freed at its end
 *   parse(arena, message);
 * }
 * ```
 */
export class Checkpoint implements Disposable {
  /** The arena the checkpoint belongs to. */
  readonly arena: Arena;
  /** The arena's top (next free offset) when the checkpoint was taken. */
  readonly offset: number;
  /** @internal The arena's chunk limit at the time. */
  readonly _limit: number;
  /** @internal Live requested bytes at the time. */
  readonly _live: number;
  /** @internal Position in the arena's stack of open checkpoints. */
  readonly _depth: number;
  /** @internal Set by the arena when rolled back, committed, reset past, or closed by an outer one. */
  _closed = false;

  constructor(arena: Arena, offset: number, limit: number, live: number, depth: number) {
    this.arena = arena;
    this.offset = offset;
    this._limit = limit;
    this._live = live;
    this._depth = depth;
  }

  /** True until the checkpoint is rolled back, committed, or the arena is reset. */
  get open(): boolean {
    return !this._closed;
  }

  /**
   * Frees everything allocated since the checkpoint and closes it.
   *
   * @example
   * ```ts
   * const cp = arena.checkpoint();
   * if (!tryParse(arena)) cp.rollback();
   * ```
   */
  rollback(): void {
    this.arena.rollback(this);
  }

  /**
   * Keeps what was allocated since the checkpoint and closes it (a later dispose does nothing).
   *
   * @example
   * ```ts
   * using cp = arena.checkpoint();
   * const node = arena.alloc(64);
   * cp.commit(); // node survives the end of the block
   * ```
   */
  commit(): void {
    this.arena._close(this);
  }

  /** Rolls back if still open; does nothing after `rollback()`, `commit()` or a reset. */
  [Symbol.dispose](): void {
    if (!this._closed) this.arena.rollback(this);
  }
}
