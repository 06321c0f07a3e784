/** Ingest counters shown by `/api/stats`: plain numbers, updated on the hot path, read at query time. */
export interface IngestStats {
  accepted: { spans: number; logs: number; metricPoints: number };
  /** Items refused individually (partial success). */
  rejectedItems: number;
  /** Requests answered 429/503 because the store fell behind. */
  refusedRequests: number;
  /** Requests answered 4xx for bad input. */
  badRequests: number;
}

export function createIngestStats(): IngestStats {
  return {
    accepted: { spans: 0, logs: 0, metricPoints: 0 },
    rejectedItems: 0,
    refusedRequests: 0,
    badRequests: 0,
  };
}
