import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { SignalStats } from './signal-stats.js';

/** The shape shared by span and log record exporters. */
export interface ItemExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * Wraps an exporter to count what it exported and what it failed to export. Any exception the
 * exporter throws becomes a failed result: telemetry never throws into the host app.
 */
export class CountingExporter<T> implements ItemExporter<T> {
  constructor(
    private readonly inner: ItemExporter<T>,
    private readonly stats: SignalStats,
  ) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    let settled = false;
    const done = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      this.stats.exportResult(items.length, result);
      resultCallback(result);
    };
    try {
      this.inner.export(items, done);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {
    await this.inner.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush?.();
  }
}
