/**
 * The bounded ingest queue with group commit. Receivers submit decoded batches; the queue appends all
 * pending batches, commits once, and only then resolves their promises, so a request is acknowledged only
 * after its data is durable. When the queue holds `maxItems`, `submit` answers 'full' (→ 429 + Retry-After);
 * after a failed commit or once closed, 'unavailable' (→ 503).
 */
import { EventEmitter } from 'node:events';
import type { DecodedBatch } from '../receiver/rows.js';
import type { IngestStats } from './ingest-stats.js';
import type { CommitCounts, Store } from './store.js';

export interface IngestQueueOptions {
  /** Most items (spans + points + records) waiting for a commit. Default 200,000. */
  maxItems?: number;
  /** Longest wait before a commit, to gather more requests into it. Default 5 ms. */
  maxDelayMs?: number;
  /** Commit at once when this many items wait. Default 20,000. */
  commitItems?: number;
}

interface Pending {
  runId: number;
  batch: DecodedBatch;
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
  private pending: Pending[] = [];
  private pendingItems = 0;
  private timer: NodeJS.Timeout | undefined;
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
    this.maxDelayMs = options.maxDelayMs ?? 5;
    this.commitItems = options.commitItems ?? 20_000;
  }

  get queuedItems(): number {
    return this.pendingItems;
  }

  submit(runId: number, batch: DecodedBatch): SubmitResult {
    if (this.closed || Date.now() < this.failedUntil) return 'unavailable';
    const items = batch.data.rows.length;
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing || this.pending.length > 0 || this.exclusive.length > 0) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  private schedule(now = false): void {
    if (this.flushing) return; // the running flush reschedules when it ends
    if (now || this.pendingItems >= this.commitItems) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.maxDelayMs);
    }
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
        for (const p of batch) this.store.append(p.runId, [p.batch], counts);
        this.store.commit();
      } catch (error) {
        // Nothing of this group was acknowledged; refuse new data briefly while the writer recovers.
        this.failedUntil = Date.now() + 1000;
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
    }
    const tasks = this.exclusive;
    this.exclusive = [];
    for (const t of tasks) await t();
  }
}
