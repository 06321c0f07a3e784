/** Set in the export worker's `workerData`, so `@sightline/node/register` knows to stay out of it. */
export const EXPORT_WORKER_MARK = 'sightlineExportWorker';

import type { TransferDefinitions, TransferSpan } from './span-transfer.js';

/**
 * What the app's thread sends the export worker: for OTLP protobuf (HTTP or gRPC) a request
 * already encoded, its buffer transferred (`otlp`); for OTLP JSON the spans' plain data (`spans`).
 */
export type ToWorker =
  | { type: 'otlp'; id: number; bytes: Uint8Array<ArrayBuffer>; spanCount: number }
  | {
      type: 'spans';
      id: number;
      definitions: TransferDefinitions | undefined;
      spans: TransferSpan[];
    }
  | { type: 'shutdown' };

/**
 * What the export worker answers: once when its exporter is ready, one result per export (with the
 * request's buffer, transferred back for reuse, once it was sent), and once when it has shut down.
 */
export type WorkerReply =
  | { type: 'ready' }
  | {
      type: 'result';
      id: number;
      code: number;
      error?: { name: string; message: string };
      buffer?: ArrayBuffer;
    }
  | { type: 'shutdown' };
