/** Set in the export worker's `workerData`, so `@sightline/node/register` knows to stay out of it. */
export const EXPORT_WORKER_MARK = 'sightlineExportWorker';

import type { TransferDefinitions, TransferSpan } from './span-transfer.js';

/** What the app's thread sends the export worker. */
export type ToWorker =
  | {
      type: 'export';
      id: number;
      definitions: TransferDefinitions | undefined;
      spans: TransferSpan[];
    }
  | { type: 'shutdown' };

/**
 * What the export worker answers: once when its exporter is ready, one result per export, and once
 * when it has shut down.
 */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; code: number; error?: { name: string; message: string } }
  | { type: 'shutdown' };
