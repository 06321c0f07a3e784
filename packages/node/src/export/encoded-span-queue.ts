import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { BatchOptions } from '../config/options.js';
import { warnOnce } from '../diagnostics/warn-once.js';
import { BatchTimer } from './batch-timer.js';
import { exportWithTimeout } from './export-with-timeout.js';
import type { EncodedSpans } from './otlp-bytes-exporter.js';
import type { OtlpTraceEncoder, SealedSpans } from './otlp-trace-encoder.js';
import type { SignalStats } from './signal-stats.js';

/** Pending spans that are encoded at once rather than at the end of the event-loop turn. */
const ENCODE_RUN = 64;

/** Sends requests that are already encoded, and takes their buffers back when done with them. */
export interface EncodedSpanExporter {
  exportEncoded(request: EncodedSpans, resultCallback: (result: ExportResult) => void): void;
  /** Gives the encoder's buffers back to it for reuse. */
  readonly encoder: OtlpTraceEncoder;
  shutdown(): Promise<void>;
}

/**
 * The span queue of an OTLP protobuf exporter: each span is encoded in the event-loop turn it ends
 * in (with the others of that turn), so that the span object dies young instead of waiting in a
 * queue for its batch (on a busy server, the garbage
 * collector copying and promoting queued spans cost more than encoding them). The batching rules
 * are `BatchExportQueue`'s: a batch as soon as `maxExportBatchSize` spans wait or
 * `scheduledDelayMillis` after the first one, one export in flight, at most `maxQueueSize` spans
 * waiting (the rest are dropped and counted), export failures counted, never thrown.
 */
export class EncodedSpanQueue {
  private readonly encoder: OtlpTraceEncoder;
  /** Batches encoded and waiting for their turn (their requests are written when sent). */
  private readonly sealed: SealedSpans[] = [];
  /** Ended spans not encoded yet: encoded together once the current I/O callbacks are done. */
  private readonly pending: ReadableSpan[] = [];
  private encodeScheduled = false;
  /** Spans waiting: pending, in `sealed` and in the encoder. */
  private waiting = 0;
  private readonly timer: BatchTimer;
  private inFlight: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly exporter: EncodedSpanExporter,
    private readonly options: Required<BatchOptions>,
    private readonly stats: SignalStats,
    /** Resolved before the first export, e.g. a resource's asynchronous attributes. */
    private readonly ready: Promise<unknown> = Promise.resolve(),
  ) {
    this.encoder = exporter.encoder;
    this.timer = new BatchTimer(options.scheduledDelayMillis, () => this.kick());
  }

  add(span: ReadableSpan): void {
    if (this.closed) return;
    if (this.waiting >= this.options.maxQueueSize) {
      this.stats.queueFull(1);
      return;
    }
    this.pending.push(span);
    this.waiting++;
    this.stats.queued = this.waiting;
    if (this.pending.length >= ENCODE_RUN) this.encodePending();
    else if (!this.encodeScheduled) {
      this.encodeScheduled = true;
      setImmediate(this.encodeScheduledRun);
    }
  }

  private readonly encodeScheduledRun = (): void => {
    this.encodeScheduled = false;
    this.encodePending();
  };

  /**
   * Encodes the pending spans in one run: the encoder's code and tables stay in cache across
   * spans, where one span at a time, between a server's requests, found them cold (measured:
   * bench/http). The spans still die young: within the event-loop turn they ended in.
   */
  private encodePending(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    const max = this.options.maxExportBatchSize;
    for (let i = 0; i < pending.length; i++) {
      try {
        this.encoder.append(pending[i] as ReadableSpan);
      } catch (error) {
        this.waiting--;
        warnOnce('encode-span', `a span could not be encoded and was left out: ${String(error)}`);
      }
      if (this.encoder.spanCount >= max) this.seal();
    }
    pending.length = 0;
    this.stats.queued = this.waiting;
    if (this.sealed.length > 0) {
      this.kick();
    } else if (this.inFlight === undefined && !this.closed) {
      this.timer.arm();
    }
  }

  /** Exports everything waiting now; resolves when done (failures are counted, not thrown). */
  async flush(): Promise<void> {
    this.timer.clear();
    for (;;) {
      // Spans that ended while an export was awaited are pending again: encode them each time.
      this.encodePending();
      if (this.inFlight === undefined && this.sealed.length === 0 && this.encoder.spanCount === 0) {
        break;
      }
      if (this.inFlight === undefined) this.exportOne();
      await this.inFlight;
    }
    this.timer.clear();
  }

  /** Flushes and stops accepting spans; the exporter is shut down too. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    // What ended between the flush and closing.
    await this.flush();
    await this.exporter.shutdown();
  }

  private seal(): void {
    if (this.encoder.spanCount > 0) this.sealed.push(this.encoder.seal());
  }

  private kick(): void {
    this.timer.clear();
    if (this.inFlight === undefined) this.exportOne();
  }

  private exportOne(): void {
    if (this.sealed.length === 0) this.seal();
    const batch = this.sealed.shift();
    if (batch === undefined) return;
    this.stats.queueDrained();
    // The request is written once the resource is ready: its asynchronous attributes go in it.
    this.inFlight = this.ready
      .then(() => {
        let bytes: Uint8Array<ArrayBuffer>;
        try {
          bytes = this.encoder.finish(batch);
        } catch (error) {
          this.stats.exportFinished(batch.spanCount, error);
          return;
        }
        const request = { bytes, spanCount: batch.spanCount };
        return exportWithTimeout(
          this.options.exportTimeoutMillis,
          (done) => this.exporter.exportEncoded(request, done),
          (result) => this.stats.exportResult(batch.spanCount, result),
        );
      })
      .catch(() => {})
      .finally(() => {
        this.inFlight = undefined;
        this.waiting -= batch.spanCount;
        this.stats.queued = this.waiting;
        if (this.sealed.length > 0 || this.encoder.spanCount >= this.options.maxExportBatchSize) {
          this.kick();
        } else if (this.encoder.spanCount > 0 && !this.closed) {
          this.timer.arm();
        }
      });
  }
}
