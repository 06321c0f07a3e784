import type {
  LogRecordProcessor,
  ReadableLogRecord,
  ReadWriteLogRecord,
} from '@opentelemetry/sdk-logs';
import type { BatchExportQueue } from '../export/batch-export-queue.js';

/** Queues log records for batched export; what does not fit is dropped and counted. */
export class BatchLogRecordProcessor implements LogRecordProcessor {
  constructor(private readonly queue: BatchExportQueue<ReadableLogRecord>) {}

  onEmit(logRecord: ReadWriteLogRecord): void {
    this.queue.add(logRecord);
  }

  forceFlush(): Promise<void> {
    return this.queue.flush();
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown();
  }
}
