import type { BatchOptions } from '../config/options.js';
import { BatchTimer } from './batch-timer.js';
import type { ItemExporter } from './counting-exporter.js';
import { exportWithTimeout } from './export-with-timeout.js';
import type { SignalStats } from './signal-stats.js';

/**
 * A bounded queue that exports items in batches: one export in flight at a time, a batch as soon as
 * `maxExportBatchSize` items wait or `scheduledDelayMillis` after the first one. Items that do not fit
 * are dropped and counted, never buffered without bound. Used for spans and log records alike, and
 * the seam where export can later move off the main thread (DESIGN D2).
 */
export class BatchExportQueue<T> {
  private items: T[] = [];
  private readonly timer: BatchTimer;
  private inFlight: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly exporter: ItemExporter<T>,
    private readonly options: Required<BatchOptions>,
    private readonly stats: SignalStats,
    /** Resolved before the first export, e.g. a resource's asynchronous attributes. */
    private readonly ready: Promise<unknown> = Promise.resolve(),
  ) {
    this.timer = new BatchTimer(options.scheduledDelayMillis, () => this.kick());
  }

  /** Adds one item; O(1) and allocation-free on the common path. */
  add(item: T): void {
    if (this.closed) return;
    if (this.items.length >= this.options.maxQueueSize) {
      this.stats.queueFull(1);
      return;
    }
    this.items.push(item);
    this.stats.queued = this.items.length;
    if (this.items.length >= this.options.maxExportBatchSize) {
      this.kick();
    } else if (this.inFlight === undefined) {
      this.timer.arm();
    }
  }

  /** Exports everything queued now; resolves when done (failures are counted, not thrown). */
  async flush(): Promise<void> {
    this.timer.clear();
    // Wait for the export in flight, then drain what is left, batch by batch.
    while (this.inFlight !== undefined || this.items.length > 0) {
      if (this.inFlight === undefined) this.exportOneBatch();
      await this.inFlight;
    }
  }

  /** Flushes and stops accepting items; the exporter is shut down too. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.exporter.shutdown();
  }

  /** Items that are still waiting, for shutdown accounting. */
  get pending(): number {
    return this.items.length;
  }

  private kick(): void {
    this.timer.clear();
    if (this.inFlight === undefined && this.items.length > 0) this.exportOneBatch();
  }

  private exportOneBatch(): void {
    const batch =
      this.items.length <= this.options.maxExportBatchSize
        ? this.items
        : this.items.slice(0, this.options.maxExportBatchSize);
    this.items = batch === this.items ? [] : this.items.slice(batch.length);
    this.stats.queued = this.items.length;
    this.stats.queueDrained();
    this.inFlight = this.ready
      .then(() =>
        exportWithTimeout(this.options.exportTimeoutMillis, (done) =>
          this.exporter.export(batch, done),
        ),
      )
      .catch(() => {})
      .finally(() => {
        this.inFlight = undefined;
        if (this.items.length >= this.options.maxExportBatchSize) this.kick();
        else if (this.items.length > 0 && !this.closed) {
          this.timer.arm();
        }
      });
  }
}
