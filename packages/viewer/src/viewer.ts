/**
 * `startViewer()`: the receiver (OTLP/HTTP + OTLP/gRPC), the DuckDB store, the query API and the UI, wired
 * together. `sightline dev` is a thin CLI around it; tests start it in-process with ports 0.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { exportRunRoute } from './bundle/export-route.js';
import { invalidViewerOption, SightlineError } from './errors.js';
import { bearerMatches, isLoopback } from './http/auth.js';
import { createHttpServer } from './http/http-server.js';
import { LiveEvents } from './http/live-events.js';
import { createStaticHandler, defaultUiDir } from './http/static-files.js';
import type { QueryContext, ViewerLimits } from './query/query-context.js';
import { DecodePool, defaultDecodeWorkers } from './receiver/decode-pool.js';
import type { IngestTarget } from './receiver/ingest-target.js';
import { type GrpcListener, startGrpcServer } from './receiver/otlp-grpc-server.js';
import { defaultDataDir } from './store/data-dir.js';
import { IngestQueue } from './store/ingest-queue.js';
import { createIngestStats } from './store/ingest-stats.js';
import { RetentionPolicy } from './store/retention.js';
import { closeAbandonedRuns, defaultRunName, endRun, startRun } from './store/runs.js';
import { Store } from './store/store.js';

export interface ViewerOptions {
  /** Address of both listeners. Default 127.0.0.1; anything but loopback requires `token`. */
  host?: string;
  /** OTLP/HTTP + API + UI port. Default 4318; 0 picks a free port. */
  httpPort?: number;
  /** OTLP/gRPC port. Default 4317; 0 picks a free port; `false` disables gRPC. */
  grpcPort?: number | false;
  /** Store directory. Default `$XDG_STATE_HOME/sightline` or `~/.local/state/sightline`. */
  dataDir?: string;
  /** When set, every OTLP, API and UI request must present it. */
  token?: string;
  /** Name of this run. Default `dev <ISO time>`. */
  runName?: string;
  /** Retention: largest used database size in bytes. Default 1 GiB. */
  maxBytes?: number;
  /** Retention: oldest data kept, in ms. Default 7 days. */
  maxAgeMs?: number;
  /** How often retention runs, in ms. Default 30 s. */
  retentionIntervalMs?: number;
  /** Largest OTLP request body on the wire. Default 16 MiB. */
  maxRequestBytes?: number;
  /** Largest OTLP request after decompression. Default 64 MiB. */
  maxDecompressedBytes?: number;
  /** Most items waiting for a commit before 429. Default 200,000. */
  maxQueueItems?: number;
  /** UI directory. Default: the built `@sightline/ui`, else a placeholder page. */
  uiDir?: string;
  /** DuckDB memory limit. Default '1GB'. */
  memoryLimit?: string;
  /**
   * Worker threads that decode OTLP trace requests off the event loop. Default: the cores but one, at
   * most 4 (1 on a 2-core machine, 0 on one core); 0 decodes on the main thread.
   */
  decodeWorkers?: number;
  /** Trace requests smaller than this (bytes, after decompression) decode on the main thread. Default 16 KiB. */
  decodeWorkerMinBytes?: number;
}

export interface Viewer {
  /** e.g. http://127.0.0.1:4318 (OTLP/HTTP, API and UI). */
  readonly httpUrl: string;
  /** e.g. 127.0.0.1:4317, or undefined when gRPC is disabled. */
  readonly grpcAddress: string | undefined;
  readonly runId: number;
  readonly dataDir: string;
  readonly store: Store;
  /** Runs retention now (also runs on a timer). */
  enforceRetention(): Promise<void>;
  /** Stops listening, commits what is queued, ends the run and closes the store. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const VERSION = (require('../../package.json') as { version: string }).version;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) invalidViewerOption(name, value, 'a positive number');
  return value;
}

function port(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    invalidViewerOption(name, value, 'a port from 0 to 65535');
  return value;
}

/**
 * Starts the viewer.
 *
 * @example
 * const viewer = await startViewer({ httpPort: 0, grpcPort: 0, dataDir: '/tmp/sightline-test' });
 * // export OTLP to viewer.httpUrl, query `${viewer.httpUrl}/api/traces`
 * await viewer.close();
 */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  if (token !== undefined && (token.length < 8 || /\s/.test(token)))
    invalidViewerOption('token', '<redacted>', 'at least 8 characters without spaces');
  if (!isLoopback(host) && token === undefined)
    throw new SightlineError(
      'SIGHTLINE_ERR_VIEWER_TOKEN_REQUIRED',
      `listening on ${host} exposes your telemetry to the network; pass a token (--token) or bind 127.0.0.1`,
    );
  const httpPort = port('httpPort', options.httpPort, 4318);
  const grpcPort = options.grpcPort === false ? false : port('grpcPort', options.grpcPort, 4317);
  const limits: ViewerLimits = {
    maxBytes: positive('maxBytes', options.maxBytes, 1024 ** 3),
    maxAgeMs: positive('maxAgeMs', options.maxAgeMs, 7 * 24 * 3600 * 1000),
    maxRequestBytes: positive('maxRequestBytes', options.maxRequestBytes, 16 * 1024 ** 2),
    maxDecompressedBytes: positive(
      'maxDecompressedBytes',
      options.maxDecompressedBytes,
      64 * 1024 ** 2,
    ),
    maxQueueItems: positive('maxQueueItems', options.maxQueueItems, 200_000),
  };
  const decodeWorkers = options.decodeWorkers ?? defaultDecodeWorkers();
  if (!Number.isInteger(decodeWorkers) || decodeWorkers < 0 || decodeWorkers > 64)
    invalidViewerOption('decodeWorkers', decodeWorkers, 'an integer from 0 to 64');
  const retentionIntervalMs = positive('retentionIntervalMs', options.retentionIntervalMs, 30_000);
  const dataDir = options.dataDir ?? defaultDataDir();

  const store = await Store.open({
    dataDir,
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
  });
  await closeAbandonedRuns(store);
  const runId = await startRun(store, options.runName ?? defaultRunName(), 'dev');
  const stats = createIngestStats();
  const queue = new IngestQueue(store, stats, { maxItems: limits.maxQueueItems });
  const retention = new RetentionPolicy({ maxBytes: limits.maxBytes, maxAgeMs: limits.maxAgeMs });
  const live = new LiveEvents(() => runId);
  queue.on('commit', (counts) => live.onCommit(counts));
  const decoder =
    decodeWorkers > 0
      ? new DecodePool({
          workers: decodeWorkers,
          ...(options.decodeWorkerMinBytes !== undefined
            ? { minBytes: options.decodeWorkerMinBytes }
            : {}),
        })
      : undefined;
  const ingestTarget: IngestTarget = {
    queue,
    stats,
    runId: () => runId,
    ...(decoder ? { decoder } : {}),
  };
  const query: QueryContext = {
    store,
    runId: () => runId,
    stats,
    queue,
    retention,
    limits,
    version: VERSION,
  };

  const enforceRetention = (): Promise<void> =>
    queue.runExclusive(async () => {
      for (const event of await retention.enforce(store)) live.send('eviction', event);
    });

  const uiDir = options.uiDir ?? defaultUiDir();
  const server = createHttpServer({
    ...(token !== undefined ? { token } : {}),
    allowedHosts: [host.toLowerCase()],
    limits,
    ingest: ingestTarget,
    query,
    live,
    serveStatic: createStaticHandler(uiDir),
    streams: [exportRunRoute(store)],
  });
  let grpc: GrpcListener | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(httpPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (grpcPort !== false)
      grpc = await startGrpcServer(ingestTarget, {
        host,
        port: grpcPort,
        maxMessageBytes: limits.maxDecompressedBytes,
        ...(token !== undefined
          ? { authorize: (auth: string | undefined) => bearerMatches(auth, token) }
          : {}),
      });
  } catch (error) {
    server.close();
    await queue.close();
    await decoder?.close();
    await endRun(store, runId);
    await store.close();
    throw new SightlineError(
      'SIGHTLINE_ERR_VIEWER_LISTEN',
      `cannot listen on ${host} (http ${httpPort}, grpc ${grpcPort}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const timer = setInterval(() => {
    enforceRetention().catch(() => {
      // retried on the next tick; failures show as a growing store in /api/stats
    });
  }, retentionIntervalMs);
  timer.unref();
  void enforceRetention().catch(() => {});

  const address = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    httpUrl: `http://${urlHost}:${address.port}`,
    grpcAddress: grpc ? `${urlHost}:${grpc.port}` : undefined,
    runId,
    dataDir,
    store,
    enforceRetention,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        live.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await grpc?.close();
        await queue.close();
        server.closeAllConnections();
        await closed;
        await decoder?.close();
        await endRun(store, runId);
        await store.close();
      })();
      return closing;
    },
  };
}
