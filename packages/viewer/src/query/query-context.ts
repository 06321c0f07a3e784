/** What every query handler gets: the store, the current run, and the viewer's live state for stats. */
import type { IngestQueue } from '../store/ingest-queue.js';
import type { IngestStats } from '../store/ingest-stats.js';
import type { RetentionPolicy } from '../store/retention.js';
import type { Store } from '../store/store.js';

export interface ViewerLimits {
  maxBytes: number;
  maxAgeMs: number;
  maxRequestBytes: number;
  maxDecompressedBytes: number;
  maxQueueItems: number;
}

export interface QueryContext {
  store: Store;
  runId(): number;
  stats: IngestStats;
  queue: IngestQueue;
  retention: RetentionPolicy;
  limits: ViewerLimits;
  version: string;
}
