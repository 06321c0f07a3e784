/**
 * The transport-independent core of ingest: decode, reject per item, submit to the queue, wait for the
 * commit. HTTP and gRPC map its outcome to their status codes.
 */
import type { IngestQueue } from '../store/ingest-queue.js';
import type { IngestStats } from '../store/ingest-stats.js';
import { type DecodedForStore, decodeForStore } from './decode-for-store.js';
import { DecodeBusy, DecodeFailed, type DecodePool, DecoderLost } from './decode-pool.js';
import type { Encoding } from './decode-request.js';
import { OtlpJsonError } from './json-values.js';
import { ProtobufError } from './protobuf-reader.js';
import type { Signal } from './rows.js';

export interface IngestTarget {
  queue: IngestQueue;
  stats: IngestStats;
  /** The run new data belongs to. */
  runId(): number;
  /** Worker threads that decode large trace requests off the event loop; without it, decoding is inline. */
  decoder?: DecodePool;
}

export type IngestOutcome =
  | { kind: 'ok'; rejected: number; message: string }
  | { kind: 'bad'; message: string }
  | { kind: 'full' }
  | { kind: 'unavailable'; message: string };

export async function ingest(
  target: IngestTarget,
  signal: Signal,
  encoding: Encoding,
  body: Uint8Array,
): Promise<IngestOutcome> {
  let decoded: DecodedForStore;
  try {
    const pool = target.decoder;
    decoded =
      pool?.accepts(signal, body.length) === true
        ? await pool.decode(signal, encoding, body)
        : decodeForStore(signal, encoding, body);
  } catch (error) {
    if (
      error instanceof ProtobufError ||
      error instanceof OtlpJsonError ||
      error instanceof DecodeFailed
    ) {
      target.stats.badRequests++;
      return { kind: 'bad', message: `cannot decode the ${signal} request: ${error.message}` };
    }
    if (error instanceof DecodeBusy) {
      target.stats.refusedRequests++;
      return { kind: 'full' };
    }
    if (error instanceof DecoderLost) {
      // nothing of it was submitted, so a retry cannot store it twice
      target.stats.refusedRequests++;
      return { kind: 'unavailable', message: error.message };
    }
    throw error;
  }
  const { batch, items, rejected, reasons } = decoded;
  const message = rejected > 0 ? `${rejected} rejected: ${reasons.join('; ')}` : '';
  if (items === 0) {
    if (rejected > 0) {
      target.stats.badRequests++;
      target.stats.rejectedItems += rejected;
      return { kind: 'bad', message };
    }
    return { kind: 'ok', rejected: 0, message: '' };
  }
  const submitted = target.queue.submit(target.runId(), batch);
  if (submitted === 'full') {
    target.stats.refusedRequests++;
    return { kind: 'full' };
  }
  if (submitted === 'unavailable') {
    target.stats.refusedRequests++;
    return { kind: 'unavailable', message: 'the store is not accepting data right now' };
  }
  try {
    await submitted;
  } catch (error) {
    target.stats.refusedRequests++;
    return {
      kind: 'unavailable',
      message: `the store could not commit: ${(error as Error).message}`,
    };
  }
  target.stats.rejectedItems += rejected;
  return { kind: 'ok', rejected, message };
}
