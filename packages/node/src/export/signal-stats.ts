import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

export type SignalName = 'traces' | 'metrics' | 'logs';
export type DropReason = 'queue_full' | 'export_failed' | 'shutdown';

/**
 * Plain counters for one signal's export pipeline. The hot path only increments numbers; the
 * `sightline.sdk.*` instruments read them at collection time. Failures are reported through the
 * diagnostic logger once per episode (first failure, then recovery), never once per item.
 */
export class SignalStats {
  exported = 0;
  /** Export calls that failed. */
  failures = 0;
  readonly dropped: Record<DropReason, number> = { queue_full: 0, export_failed: 0, shutdown: 0 };
  queued = 0;
  private failing = false;
  private droppedWhileFailing = 0;
  private queueFullEpisode = false;

  constructor(
    readonly signal: SignalName,
    private readonly target: string,
  ) {}

  /** An export call reported `result` for `items` items. */
  exportResult(items: number, result: ExportResult): void {
    this.exportFinished(
      items,
      result.code === ExportResultCode.SUCCESS
        ? undefined
        : (result.error ?? new Error('export failed')),
    );
  }

  /** An export call finished. `error` is undefined on success. */
  exportFinished(items: number, error: unknown): void {
    if (error === undefined) {
      this.exported += items;
      if (this.failing) {
        this.failing = false;
        diag.info(
          `sightline: ${this.signal} export to ${this.target} recovered; ${this.droppedWhileFailing} items were dropped while it failed`,
        );
        this.droppedWhileFailing = 0;
      }
      return;
    }
    this.failures++;
    this.dropped.export_failed += items;
    this.droppedWhileFailing += items;
    if (!this.failing) {
      this.failing = true;
      diag.warn(
        `sightline: ${this.signal} export to ${this.target} failed (${describeError(error)}); failed batches are dropped and counted in sightline.sdk.dropped; further failures are not logged until it recovers`,
      );
    }
  }

  /** The queue was full, so `items` were dropped. */
  queueFull(items: number): void {
    this.dropped.queue_full += items;
    if (!this.queueFullEpisode) {
      this.queueFullEpisode = true;
      diag.warn(
        `sightline: ${this.signal} queue is full; dropping new items and counting them in sightline.sdk.dropped until it drains`,
      );
    }
  }

  /** The queue accepted items again after being full. */
  queueDrained(): void {
    this.queueFullEpisode = false;
  }

  /** Items still queued when shutdown gave up. */
  lostAtShutdown(items: number): void {
    if (items <= 0) return;
    this.dropped.shutdown += items;
    diag.warn(
      `sightline: ${items} ${this.signal} items could not be exported before the shutdown timeout`,
    );
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
