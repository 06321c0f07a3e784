/** One decode job as a worker runs it: the request in, the store batch out (or why it cannot be decoded). */
import { decodeForStore } from './decode-for-store.js';
import type { DecodeJobMessage, DecodeReplyMessage } from './decode-pool.js';
import { OtlpJsonError } from './json-values.js';
import { ProtobufError } from './protobuf-reader.js';
import { spanColumnBuffers } from './span-columns.js';

/** The reply and the buffers to transfer with it (the span columns' typed arrays). */
export function runDecodeJob(job: DecodeJobMessage): {
  reply: DecodeReplyMessage;
  transfer: ArrayBuffer[];
} {
  try {
    const result = decodeForStore(job.signal, job.encoding, job.body);
    const transfer = result.batch.signal === 'spans' ? spanColumnBuffers(result.batch.columns) : [];
    return { reply: { id: job.id, ok: true, result }, transfer };
  } catch (error) {
    const bad = error instanceof ProtobufError || error instanceof OtlpJsonError;
    return {
      reply: { id: job.id, ok: false, bad, message: (error as Error).message },
      transfer: [],
    };
  }
}
