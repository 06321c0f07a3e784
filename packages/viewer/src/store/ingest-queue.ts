/**
 * The bounded ingest queue with group commit. Receivers submit decoded batches; the queue appends all
 * pending batches, commits once, and only then resolves their promises, so a request is acknowledged only
 * after its data is durable. When the queue holds `maxItems`, `submit` answers 'full' (→ 429 + Retry-After);
 * after a failed commit or once closed, 'unavailable' (→ 503).
 */
import { EventEmitter } from 'node:events';
import { type StoreBatch, storeBatchItems } from '../receiver/rows.js';
import type { IngestStats } from './ingest-stats.js';
import type { CommitCounts, Store } from './store.js';

export interface IngestQueueOptions {
  /** Most items (spans + points + records) waiting for a commit. Default 200,000. */
  maxItems?: number;
  /**
   * Longest wait before a commit, to gather more requests into it. Default 0: commit as soon as the event
   * loop is free; requests that arrive during a commit form the next group.
   */
  maxDelayMs?: number;
  /** Commit at once when this many items wait. Default 20,000. */
  commitItems?: number;
  /**
   * Checkpoint (move the WAL into the database file) once no commit happened for this long and the WAL
   * holds at least `idleCheckpointBytes`, so queries read compressed data and a restart replays little.
   * Default 2,000 ms; 0 leaves checkpoints to DuckDB's WAL threshold alone.
   */
  idleCheckpointMs?: number;
  /** Default 1 MiB. */
  idleCheckpointBytes?: number;
}

interface Pending {
  runId: number;
  batch: StoreBatch;
  items: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export type SubmitResult = Promise<void> | 'full' | 'unavailable';

/** Emits 'commit' (CommitCounts) after each successful commit. */
export class IngestQueue extends EventEmitter {
  readonly maxItems: number;
  private readonly maxDelayMs: number;
  private readonly commitItems: number;
  private readonly idleCheckpointMs: number;
  private readonly idleCheckpointBytes: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private pending: Pending[] = [];
  private pendingItems = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  private exclusive: (() => Promise<void>)[] = [];
  private closed = false;
  private failedUntil = 0;

  constructor(
    private readonly store: Store,
    private readonly stats: IngestStats,
    options: IngestQueueOptions = {},
  ) {
    super();
    this.maxItems = options.maxItems ?? 200_000;
    this.maxDelayMs = options.maxDelayMs ?? 0;
    this.commitItems = options.commitItems ?? 20_000;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 2000;
    this.idleCheckpointBytes = options.idleCheckpointBytes ?? 1024 ** 2;
  }

  get queuedItems(): number {
    return this.pendingItems;
  }

  submit(runId: number, batch: StoreBatch): SubmitResult {
    if (this.closed || Date.now() < this.failedUntil) return 'unavailable';
    const items = storeBatchItems(batch);
    if (this.pendingItems > 0 && this.pendingItems + items > this.maxItems) return 'full';
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ runId, batch, items, resolve, reject });
      this.pendingItems += items;
      this.schedule();
    });
  }

  /** Runs `task` on the writer between commits (retention, run bookkeeping). */
  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.exclusive.push(() => task().then(resolve, reject));
      this.schedule(true);
    });
  }

  /** Commits what is pending, refuses new work, and waits for the last commit. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    clearTimeout(this.idleTimer);
    while (this.flushing || this.pending.length > 0 || this.exclusive.length > 0) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  private schedule(now = false): void {
    if (this.flushing) return; // the running flush reschedules when it ends
    if (now || this.pendingItems >= this.commitItems) {
      this.clearTimer();
      void this.flush();
    } else if (!this.timer) {
      const run = (): void => {
        this.timer = undefined;
        void this.flush();
      };
      this.timer = this.maxDelayMs > 0 ? setTimeout(run, this.maxDelayMs) : setImmediate(run);
    }
  }

  /** (Re)starts the idle timer after a commit: it fires only when ingest paused for `idleCheckpointMs`. */
  private armIdleCheckpoint(): void {
    if (this.idleCheckpointMs <= 0 || this.closed) return;
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closed || this.store.walBytes() < this.idleCheckpointBytes) return;
      this.runExclusive(() => this.store.checkpoint()).catch(() => {
        // e.g. a long read transaction; the next pause or DuckDB's WAL threshold checkpoints
      });
    }, this.idleCheckpointMs);
    this.idleTimer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    if ('hasRef' in this.timer && 'refresh' in this.timer)
      clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.doFlush().finally(() => {
      this.flushing = undefined;
      if (this.exclusive.length > 0) this.schedule(true);
      else if (this.pending.length > 0) this.schedule();
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingItems = 0;
    if (batch.length > 0) {
      const counts: CommitCounts = { spans: 0, logs: 0, metricPoints: 0, services: new Set() };
      try {
        await this.store.begin();
        for (const p of batch) this.store.append(p.runId, [p.batch], counts);
        this.store.commit(); // flushes the appenders into the open transaction
        await this.store.commitTransaction();
      } catch (error) {
        // Nothing of this group was acknowledged; refuse new data briefly while the writer recovers.
        this.failedUntil = Date.now() + 1000;
        await this.store.rollback();
        try {
          await this.store.resetAppenders();
        } catch {
          // reported through the rejected requests
        }
        for (const p of batch) p.reject(error as Error);
        return;
      }
      this.stats.accepted.spans += counts.spans;
      this.stats.accepted.logs += counts.logs;
      this.stats.accepted.metricPoints += counts.metricPoints;
      for (const p of batch) p.resolve();
      this.emit('commit', counts);
      this.armIdleCheckpoint();
    }
    const tasks = this.exclusive;
    this.exclusive = [];
    for (const t of tasks) await t();
  }
}
