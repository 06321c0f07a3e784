import { Worker } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedOtlp } from '../config/resolve.js';
import { createOtlpSpanExporter } from '../trace/otlp-span-exporter.js';
import type { EncodedSpanExporter } from './encoded-span-queue.js';
import {
  createOtlpBytesExporter,
  type EncodedSpans,
  type OtlpBytesExporter,
} from './otlp-bytes-exporter.js';
import { OtlpTraceEncoder } from './otlp-trace-encoder.js';
import { EXPORT_WORKER_MARK, type ToWorker, type WorkerReply } from './span-export-protocol.js';
import { TransferEncoder } from './span-transfer.js';

interface Pending {
  /** The spans, for an export of span objects: sent again on this thread if the worker dies. */
  spans: ReadableSpan[] | undefined;
  done: (result: ExportResult) => void;
}

const WORKER_URL = new URL('./span-export-worker.js', import.meta.url);

/**
 * An OTLP span exporter whose network I/O runs in a worker thread (DESIGN D2) or, with
 * `worker: false`, on the app's thread with the same encoder and queue. For OTLP protobuf
 * (HTTP and gRPC) the app's thread encodes with `OtlpTraceEncoder` and transfers the bytes; the
 * worker sends them with the official exporters' transport. `EncodedSpanQueue` encodes the spans
 * of each event-loop turn and hands over whole requests (`exportEncoded()`); `export()` takes span
 * objects, as any `SpanExporter`. For OTLP JSON the spans' plain data goes across and the official JSON
 * exporter encodes them in the worker.
 *
 * The worker starts with the first export and never keeps the process alive while idle; until it
 * is ready, requests are sent from the app's thread, so a short-lived process loses no time to its
 * start. If the worker cannot start or dies, everything later is sent from the app's thread, with
 * one diagnostic warning. Of the batches it had not answered, span objects are exported again
 * here; encoded requests (their bytes moved to the worker) fail and are counted as dropped.
 */
export class WorkerSpanExporter implements SpanExporter, EncodedSpanExporter {
  /** Appends spans as they end (`EncodedSpanQueue`); buffers come back to it after each send. */
  readonly encoder = new OtlpTraceEncoder();
  /** Whether batches go to a worker thread at all (`traces.exportWorker`). */
  private readonly threaded: boolean;
  private worker: Worker | undefined;
  private ready = false;
  /** Set once the worker failed: every export happens on this thread from then on. */
  private failed = false;
  /** In-thread exporters: while the worker boots, and after it failed. */
  private local: SpanExporter | undefined;
  private localBytes: OtlpBytesExporter | undefined;
  /** Encodes the batches given to `export()` (kept apart from the spans `encoder` is collecting). */
  private readonly batchEncoder: OtlpTraceEncoder | undefined;
  /** Copies the spans' plain data across, for OTLP JSON (encoded in the worker). */
  private readonly transfer = new TransferEncoder();
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idle: Array<() => void> = [];
  private shuttingDown: Promise<void> | undefined;

  constructor(
    private readonly otlp: ResolvedOtlp,
    options: { worker?: boolean } = {},
  ) {
    this.threaded = options.worker ?? true;
    this.batchEncoder = otlp.protocol === 'http/json' ? undefined : new OtlpTraceEncoder();
  }

  /** Whether `exportEncoded()` can be used: OTLP protobuf, over HTTP or gRPC. */
  get sendsProtobuf(): boolean {
    return this.otlp.protocol !== 'http/json';
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.shuttingDown !== undefined) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    const worker = this.sender();
    if (worker === undefined || !this.ready) {
      this.inThread().export(spans, resultCallback);
      return;
    }
    const id = this.nextId++;
    try {
      const batchEncoder = this.batchEncoder;
      if (batchEncoder !== undefined) {
        const bytes = batchEncoder.encode(spans);
        const message: ToWorker = { type: 'otlp', id, bytes, spanCount: spans.length };
        this.sent(id, spans, resultCallback, worker);
        worker.postMessage(message, [bytes.buffer]);
      } else {
        const message: ToWorker = {
          type: 'spans',
          id,
          spans: spans.map((span) => this.transfer.encode(span)),
          definitions: this.transfer.takeDefinitions(),
        };
        this.sent(id, spans, resultCallback, worker);
        worker.postMessage(message);
      }
    } catch (error) {
      // A value the structured clone refuses: this batch goes out on this thread instead.
      this.pending.delete(id);
      this.settled();
      diag.debug(`sightline: a span batch could not be handed to the export worker: ${error}`);
      this.inThread().export(spans, resultCallback);
    }
  }

  /** Sends a request `encoder` wrote; its buffer moves to the worker and comes back after. */
  exportEncoded(request: EncodedSpans, resultCallback: (result: ExportResult) => void): void {
    if (this.shuttingDown !== undefined || !this.sendsProtobuf) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error(
          this.sendsProtobuf ? 'exporter is shut down' : 'not an OTLP protobuf exporter',
        ),
      });
      return;
    }
    const worker = this.sender();
    if (worker === undefined || !this.ready) {
      this.localBytes ??= createOtlpBytesExporter(this.otlp);
      this.localBytes.export(request, (result) => {
        if (result.code === ExportResultCode.SUCCESS) this.encoder.reuse(request.bytes.buffer);
        resultCallback(result);
      });
      return;
    }
    const id = this.nextId++;
    const message: ToWorker = {
      type: 'otlp',
      id,
      bytes: request.bytes,
      spanCount: request.spanCount,
    };
    this.sent(id, undefined, resultCallback, worker);
    worker.postMessage(message, [request.bytes.buffer]);
  }

  /** Resolves once every batch handed to the worker has been answered. */
  async forceFlush(): Promise<void> {
    if (this.pending.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await Promise.all([this.local?.forceFlush?.(), this.localBytes?.forceFlush()]);
  }

  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      await this.forceFlush();
      const worker = this.worker;
      if (worker !== undefined) {
        worker.ref();
        await new Promise<void>((resolve) => {
          worker.once('message', () => resolve());
          worker.once('exit', () => resolve());
          worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
        });
        this.worker = undefined;
        await worker.terminate();
      }
      await Promise.all([this.local?.shutdown(), this.localBytes?.shutdown()]);
    })();
    return this.shuttingDown;
  }

  private sent(
    id: number,
    spans: ReadableSpan[] | undefined,
    done: (result: ExportResult) => void,
    worker: Worker,
  ): void {
    this.pending.set(id, { spans, done });
    if (this.pending.size === 1) worker.ref();
  }

  /** The worker to hand a batch to, started on first use; none when this thread sends. */
  private sender(): Worker | undefined {
    if (!this.threaded || this.failed) return undefined;
    return this.worker ?? this.start();
  }

  private start(): Worker | undefined {
    try {
      const worker = new Worker(WORKER_URL, {
        workerData: { otlp: this.otlp, [EXPORT_WORKER_MARK]: true },
        // Not the app's flags. Node still runs `--import` preloads in workers, so the register
        // entry also checks EXPORT_WORKER_MARK and stays out.
        execArgv: [],
        stdout: false,
        stderr: false,
      });
      worker.unref();
      worker.on('message', (reply: WorkerReply) => this.onReply(reply));
      worker.on('error', (error) => this.abandon(worker, error));
      // Also while shutting down: a worker gone during the final flush must not leave it waiting.
      // (Shutdown itself lets go of the worker before terminating it, so that exit is ignored.)
      worker.on('exit', (code) => this.abandon(worker, new Error(`exit code ${code}`)));
      this.worker = worker;
      return worker;
    } catch (error) {
      this.fail(`could not start (${error})`);
      return undefined;
    }
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'ready') {
      this.ready = true;
      // Receiving a message refs the worker again: idle, it must not keep the process alive.
      if (this.pending.size === 0) this.worker?.unref();
      return;
    }
    if (reply.type !== 'result') return;
    if (reply.buffer !== undefined) this.encoder.reuse(reply.buffer);
    const entry = this.pending.get(reply.id);
    if (entry === undefined) return;
    this.pending.delete(reply.id);
    this.settled();
    if (reply.code === ExportResultCode.SUCCESS) {
      entry.done({ code: ExportResultCode.SUCCESS });
      return;
    }
    const error = new Error(reply.error?.message ?? 'export failed');
    if (reply.error !== undefined) error.name = reply.error.name;
    entry.done({ code: ExportResultCode.FAILED, error });
  }

  /** The worker is gone: what it had not answered is exported here if it can be, and so is everything after. */
  private abandon(worker: Worker, error: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    this.fail(`stopped (${reason})`);
    const unanswered = [...this.pending.values()];
    this.pending.clear();
    this.settled();
    for (const { spans, done } of unanswered) {
      if (spans !== undefined) this.inThread().export(spans, done);
      else
        done({
          code: ExportResultCode.FAILED,
          error: new Error(`export worker stopped (${reason})`),
        });
    }
  }

  private fail(what: string): void {
    diag.warn(
      `sightline: the span export worker ${what}; exporting spans on the application thread from now on`,
    );
    this.failed = true;
  }

  private inThread(): SpanExporter {
    this.local ??= createOtlpSpanExporter(this.otlp);
    return this.local;
  }

  private settled(): void {
    if (this.pending.size > 0) return;
    this.worker?.unref();
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
