// Types of @sightline/demo (the implementation is plain ESM JavaScript).

export interface DemoOptions {
  /** How long to drive load, in ms. Default 30 000. */
  durationMs?: number;
  /** Stop as soon as the summary is printed, instead of serving until Ctrl-C. */
  exit?: boolean;
  /** Switch on the inventory service's memory leak and print the leak verdict. */
  leak?: boolean;
  /** Viewer HTTP port (OTLP, API, UI). Default 4318, or a free port when 4318 is taken; 0 = free. */
  port?: number;
  /** Viewer data directory. Default the viewer's (under the user's state directory). */
  dataDir?: string;
  /** PostgreSQL for the orders service. Default `DATABASE_URL`; '' forces the embedded stand-in. */
  databaseUrl?: string;
  /** Redis for the inventory cache. Default `REDIS_URL`; '' forces the embedded stand-in. */
  redisUrl?: string;
  /** Share of stock reservations that fail on purpose. Default 0.1. */
  failureRate?: number;
  /** Concurrent load loops. Default 4. */
  concurrency?: number;
  /** Print the result as JSON (no progress bar, no text). */
  json?: boolean;
  /** Where to print. Default `process.stdout`. */
  out?: NodeJS.WritableStream;
  /** Ends the load early and stops serving. */
  signal?: AbortSignal;
  /** Receives every line a service prints (for debugging). */
  onServiceOutput?: (service: string, line: string) => void;
}

export interface LoadStats {
  requests: number;
  /** Responses with status >= 500. */
  errors: number;
  /** Requests that got no response. */
  failures: number;
  byEndpoint: Record<string, { requests: number; errors: number }>;
}

export interface EndpointLatency {
  endpoint: string;
  count: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

export interface HeapTrend {
  service: string;
  slopeBytesPerSecond: number;
  growthBytes: number;
  r2: number;
  points: number;
  suspected: boolean;
}

export interface DemoSummary {
  runId: number;
  traces: number;
  tracesCounted: 'all' | 'first pages';
  errorTraces: number;
  services: string[];
  spans: number;
  logs: number;
  metricPoints: number;
  /** p50/p99 per gateway endpoint, from the viewer's RED API. */
  endpoints: EndpointLatency[];
  /** The `sightline.demo.heap.live` trend per service (the leak verdict). */
  heap: HeapTrend[];
}

export interface DemoResult {
  viewerUrl: string;
  uiUrl: string;
  runId: number;
  dataDir: string;
  gatewayUrl: string;
  /** How long the load ran, in ms. */
  durationMs: number;
  load: LoadStats;
  summary: DemoSummary;
}

/**
 * Starts the viewer (a fresh run), the demo services, drives load with a progress bar, prints a
 * summary from the viewer's API, then serves until Ctrl-C (or returns at once with `exit`).
 *
 * @example
 * ```ts
 * import { runDemo } from '@sightline/demo';
 * const { summary } = await runDemo({ durationMs: 20_000, exit: true });
 * ```
 */
export function runDemo(options?: DemoOptions): Promise<DemoResult>;

/** A least-squares trend of heap samples, and whether it looks like a leak. */
export function heapTrend(
  service: string,
  points: { tMs: number; avg?: number; last?: number }[],
): HeapTrend;

export interface StockRecord {
  sku: string;
  delta: number;
}
export function parseStockImport(bytes: Uint8Array): StockRecord[];
export function encodeStockImport(records: StockRecord[]): Uint8Array;
