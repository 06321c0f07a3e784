/**
 * The transport-independent core of ingest: decode, reject per item, submit to the queue, wait for the
 * commit. HTTP and gRPC map its outcome to their status codes.
 */
import type { IngestQueue } from '../store/ingest-queue.js';
import type { IngestStats } from '../store/ingest-stats.js';
import { decodeRequest, type Encoding } from './decode-request.js';
import { OtlpJsonError } from './json-values.js';
import { ProtobufError } from './protobuf-reader.js';
import type { Signal } from './rows.js';

export interface IngestTarget {
  queue: IngestQueue;
  stats: IngestStats;
  /** The run new data belongs to. */
  runId(): number;
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
  let batch: ReturnType<typeof decodeRequest>;
  try {
    batch = decodeRequest(signal, encoding, body);
  } catch (error) {
    if (error instanceof ProtobufError || error instanceof OtlpJsonError) {
      target.stats.badRequests++;
      return { kind: 'bad', message: `cannot decode the ${signal} request: ${error.message}` };
    }
    throw error;
  }
  const { rows, rejected, reasons } = batch.data;
  const message = rejected > 0 ? `${rejected} rejected: ${reasons.join('; ')}` : '';
  if (rows.length === 0) {
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
