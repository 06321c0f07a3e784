/**
 * The bounded ingest queue with group commit. Receivers submit decoded batches; the queue appends all
 * pending batches, commits once, and only then resolves their promises, so a request is acknowledged only
 * after its data is durable. Batches that arrive while a COMMIT runs (off the event loop) are appended to
 * the appenders' buffers right away and go into the next group's transaction, so the event loop's append
 * work overlaps the commit instead of following it. When the queue holds `maxItems`, `submit` answers 'full' (→ 429 + Retry-After);
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
  /** Appended while the last COMMIT ran; flushed into the next group's transaction. */
  private appended: Pending[] = [];
  private appendedItems = 0;
  private appendedCounts = newCounts();
  private appendError: unknown;
  private committing = false;
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
      if (this.committing) this.appendDuringCommit();
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
    while (
      this.flushing ||
      this.pending.length > 0 ||
      this.appended.length > 0 ||
      this.exclusive.length > 0
    ) {
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

  /**
   * Moves pending batches into the appenders' buffers while a COMMIT runs. Only small amounts: an appender
   * that buffers 204,800 rows flushes by itself, which would wait for the COMMIT.
   */
  private appendDuringCommit(): void {
    if (this.appendError !== undefined) return;
    while (this.pending.length > 0) {
      const p = this.pending[0] as Pending;
      if (this.appendedItems + p.items > MAX_APPENDED_ITEMS) return;
      this.pending.shift();
      this.appended.push(p);
      this.appendedItems += p.items;
      try {
        this.store.append(p.runId, [p.batch], this.appendedCounts);
      } catch (error) {
        this.appendError = error; // fails the next group, which holds this batch
        return;
      }
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
      else if (this.pending.length > 0 || this.appended.length > 0) this.schedule();
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const early = this.appended;
    const batch = early.concat(this.pending);
    const counts = this.appendedCounts;
    const appendError = this.appendError;
    this.appended = [];
    this.appendedItems = 0;
    this.appendedCounts = newCounts();
    this.appendError = undefined;
    const late = this.pending;
    this.pending = [];
    this.pendingItems = 0;
    if (batch.length > 0) {
      try {
        await this.store.begin();
        if (appendError !== undefined) throw appendError;
        for (const p of late) this.store.append(p.runId, [p.batch], counts);
        this.store.commit(); // flushes the appenders (with `early`) into the open transaction
        this.committing = true;
        await this.store.commitTransaction();
      } catch (error) {
        this.committing = false;
        // Nothing of this group was acknowledged; refuse new data briefly while the writer recovers.
        this.failedUntil = Date.now() + 1000;
        await this.store.rollback();
        // resetAppenders drops what was appended during the failed commit too: refuse those requests as well
        const dropped = this.appended;
        this.appended = [];
        this.appendedItems = 0;
        this.appendedCounts = newCounts();
        this.appendError = undefined;
        try {
          await this.store.resetAppenders();
        } catch {
          // reported through the rejected requests
        }
        for (const p of batch) p.reject(error as Error);
        for (const p of dropped) p.reject(error as Error);
        return;
      }
      this.committing = false;
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

/** Most items appended during one COMMIT (below the appenders' own flush threshold of 204,800 rows). */
const MAX_APPENDED_ITEMS = 100_000;

function newCounts(): CommitCounts {
  return { spans: 0, logs: 0, metricPoints: 0, services: new Set() };
}
