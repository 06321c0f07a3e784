/**
 * Worker threads that decode OTLP trace requests off the event loop, so the main thread only appends to
 * DuckDB and answers. A worker decodes and nothing else: it never touches the store, so a request is still
 * acknowledged only after the main thread committed it. If a worker dies, the requests it held fail with
 * `DecoderLost` (→ 503 + Retry-After; none of them was submitted, so a retry cannot store anything twice)
 * and a new worker starts; with no worker alive, requests decode inline.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DecodedForStore } from './decode-for-store.js';
import type { Encoding } from './decode-request.js';
import type { Signal } from './rows.js';

/** The request could not be decoded (the worker's ProtobufError / OtlpJsonError message) → 400. */
export class DecodeFailed extends Error {
  override name = 'DecodeFailed';
}

/** Too many request bytes wait for a worker → 429. */
export class DecodeBusy extends Error {
  override name = 'DecodeBusy';
}

/** The worker exited while it held the request → 503; the request was not stored. */
export class DecoderLost extends Error {
  override name = 'DecoderLost';
}

export interface DecodePoolOptions {
  /** Worker threads. Default: the cores but one, at most 4 (1 on a 2-core machine). */
  workers?: number;
  /** Bodies smaller than this decode inline (a worker round trip costs more than they do). Default 16 KiB. */
  minBytes?: number;
  /** Most request bytes waiting in or for the workers before `DecodeBusy`. Default 64 MiB. */
  maxPendingBytes?: number;
  /** The worker's module (tests swap it). Default `decode-worker.js` next to this file. */
  workerUrl?: URL;
}

/** main → worker */
export interface DecodeJobMessage {
  id: number;
  signal: Signal;
  encoding: Encoding;
  body: Uint8Array;
}

/** worker → main */
export type DecodeReplyMessage =
  | { id: number; ok: true; result: DecodedForStore }
  | { id: number; ok: false; bad: boolean; message: string };

interface Job {
  bytes: number;
  resolve: (result: DecodedForStore) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  bytes: number;
}

/** Default worker count for this machine: 0 (decode inline) on one core. */
export function defaultDecodeWorkers(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

export class DecodePool {
  private readonly size: number;
  private readonly minBytes: number;
  private readonly maxPendingBytes: number;
  private readonly workerUrl: URL;
  private readonly slots = new Set<Slot>();
  private nextId = 1;
  private pendingBytes = 0;
  private closed = false;
  /** Workers that exited (crashed or were terminated) while the pool was open. */
  restarts = 0;

  constructor(options: DecodePoolOptions = {}) {
    this.size = options.workers ?? defaultDecodeWorkers();
    this.minBytes = options.minBytes ?? 16 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 64 * 1024 ** 2;
    this.workerUrl = options.workerUrl ?? new URL('./decode-worker.js', import.meta.url);
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  /** Workers alive now. */
  get workers(): number {
    return this.slots.size;
  }

  /** Whether `decode` should take this request (traces of at least `minBytes`, a worker alive). */
  accepts(signal: Signal, bytes: number): boolean {
    return !this.closed && signal === 'traces' && bytes >= this.minBytes && this.slots.size > 0;
  }

  decode(signal: Signal, encoding: Encoding, body: Uint8Array): Promise<DecodedForStore> {
    const slot = this.leastBusy();
    if (!slot) return Promise.reject(new DecoderLost('no decode worker is running'));
    if (this.pendingBytes > 0 && this.pendingBytes + body.length > this.maxPendingBytes)
      return Promise.reject(new DecodeBusy('the decode workers are busy'));
    const id = this.nextId++;
    return new Promise<DecodedForStore>((resolve, reject) => {
      slot.jobs.set(id, { bytes: body.length, resolve, reject });
      slot.bytes += body.length;
      this.pendingBytes += body.length;
      // the body is copied, not transferred: its memory may belong to a socket or zlib buffer
      const message: DecodeJobMessage = { id, signal, encoding, body };
      slot.worker.postMessage(message);
    });
  }

  /** Stops the workers; requests they still hold fail with `DecoderLost`. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  /** Terminates one worker as if it had crashed (tests). */
  async killOneWorker(): Promise<void> {
    const slot = this.slots.values().next().value;
    if (slot) await slot.worker.terminate();
  }

  private leastBusy(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.bytes < best.bytes) best = s;
    return best;
  }

  private spawn(): void {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { worker, jobs: new Map(), bytes: 0 };
    this.slots.add(slot);
    worker.unref(); // an idle pool never keeps the process alive
    worker.on('message', (reply: DecodeReplyMessage) => {
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      this.settle(slot, reply.id, job);
      if (reply.ok) job.resolve(reply.result);
      else if (reply.bad) job.reject(new DecodeFailed(reply.message));
      else job.reject(new Error(`decode worker: ${reply.message}`));
    });
    worker.on('error', () => {
      // an uncaught exception in the worker; 'exit' follows and fails its jobs
    });
    worker.on('exit', (code) => {
      this.slots.delete(slot);
      for (const [id, job] of slot.jobs) {
        this.settle(slot, id, job);
        job.reject(new DecoderLost(`the decode worker exited (code ${code}); retry the request`));
      }
      if (!this.closed) {
        this.restarts++;
        // a worker that cannot even start would respawn in a loop: give up after many, decode inline
        if (this.restarts < 1000) setTimeout(() => this.closed || this.spawn(), 10).unref();
      }
    });
  }

  private settle(slot: Slot, id: number, job: Job): void {
    slot.jobs.delete(id);
    slot.bytes -= job.bytes;
    this.pendingBytes -= job.bytes;
  }
}
