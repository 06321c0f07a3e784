/**
 * The viewer's durable store: one DuckDB database file in the data directory, a writer connection with one
 * appender per table, and a pool of read connections. `commit()` makes appended rows durable (DuckDB's
 * write-ahead log) before the receiver acknowledges them.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBValue,
} from '@duckdb/node-api';
import { SightlineError } from '../errors.js';
import { originId } from '../receiver/origin-id.js';
import type { Origin, StoreBatch } from '../receiver/rows.js';
import { type SpanColumns, spanColumns } from '../receiver/span-columns.js';
import { ConnectionPool, type Row } from './connection-pool.js';
import { DATABASE_FILE } from './data-dir.js';
import { appendLog, appendMetricPoint, appendOrigin, appendTraceRange } from './row-appender.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { SpanChunkWriter } from './span-chunk-writer.js';

export interface StoreOptions {
  dataDir: string;
  /** DuckDB memory limit, e.g. '1GB'. Default '1GB'. */
  memoryLimit?: string;
  /** Read connections. Default 2. */
  readConnections?: number;
  /**
   * WAL size at which a commit also checkpoints (DuckDB `checkpoint_threshold`). Default '256MB': each
   * checkpoint rewrites the whole trace-id index, so fewer, larger checkpoints keep ingest fast as the
   * store grows; the ingest queue also checkpoints whenever ingest pauses (see `IngestQueue`).
   */
  checkpointThreshold?: string;
}

export interface CommitCounts {
  spans: number;
  logs: number;
  metricPoints: number;
  services: Set<string>;
}

export class Store {
  readonly dataDir: string;
  readonly file: string;
  private readonly reads: ConnectionPool;
  private readonly appenders = new Map<string, DuckDBAppender>();
  private spanWriter: SpanChunkWriter | undefined;
  private readonly knownOrigins = new Set<bigint>();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    dataDir: string,
    file: string,
    readConnections: number,
  ) {
    this.dataDir = dataDir;
    this.file = file;
    this.reads = new ConnectionPool(instance, readConnections);
  }

  /**
   * Opens (or creates) the store in `dataDir`.
   *
   * @example
   * const store = await Store.open({ dataDir: '/tmp/sightline' });
   */
  static async open(options: StoreOptions): Promise<Store> {
    const file = join(options.dataDir, DATABASE_FILE);
    let instance: DuckDBInstance;
    try {
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      instance = await DuckDBInstance.create(file, {
        memory_limit: options.memoryLimit ?? '1GB',
        checkpoint_threshold: options.checkpointThreshold ?? '256MB',
        autoinstall_known_extensions: 'false',
      });
    } catch (error) {
      const message = (error as Error).message;
      const hint = /lock/i.test(message)
        ? ' (another sightline process is using this data directory; stop it or pass another --data-dir)'
        : '';
      throw new SightlineError(
        'SIGHTLINE_ERR_VIEWER_STORE',
        `cannot open the store at ${file}${hint}: ${message}`,
        { cause: error },
      );
    }
    const writer = await instance.connect();
    await writer.run(SCHEMA_SQL);
    await writer.run(
      `INSERT INTO meta VALUES ('schema_version', ${SCHEMA_VERSION}) ON CONFLICT DO NOTHING`,
    );
    const store = new Store(instance, writer, options.dataDir, file, options.readConnections ?? 2);
    await store.prepareAppenders();
    for (const r of await store.write('SELECT DISTINCT id FROM origins'))
      store.knownOrigins.add(r.id as bigint);
    return store;
  }

  /** Appends the batches' rows for `runId`; nothing is durable until `commit()`. */
  append(runId: number, batches: readonly StoreBatch[], counts: CommitCounts): void {
    for (const b of batches) {
      if (b.signal === 'spans') this.appendSpans(runId, b.columns, counts);
      else if (b.signal === 'traces') this.appendSpans(runId, spanColumns(b.data.rows), counts);
      else if (b.signal === 'metrics') {
        const a = this.appender('metric_points');
        for (const row of b.data.rows) {
          appendMetricPoint(a, runId, row);
          counts.services.add(row.service);
        }
        counts.metricPoints += b.data.rows.length;
      } else {
        const a = this.appender('logs');
        for (const row of b.data.rows) {
          appendLog(a, runId, row);
          counts.services.add(row.service);
        }
        counts.logs += b.data.rows.length;
      }
    }
  }

  private appendSpans(runId: number, c: SpanColumns, counts: CommitCounts): void {
    for (const o of c.origins) {
      this.ensureOrigin(o);
      counts.services.add(o.service);
    }
    if (!this.spanWriter) throw new Error('no appender for spans');
    this.spanWriter.write(runId, c);
    const index = this.appender('trace_index');
    const t = c.traces;
    for (let i = 0; i < t.traceId.length; i++)
      appendTraceRange(
        index,
        t.traceId[i] as string,
        t.minStartNs[i] as bigint,
        t.maxStartNs[i] as bigint,
      );
    counts.spans += c.count;
  }

  /** Appends the origin to `origins` the first time it is seen (committed with its spans). */
  private ensureOrigin(o: Origin): void {
    const id = originId(o);
    if (!this.knownOrigins.has(id)) {
      this.knownOrigins.add(id);
      appendOrigin(this.appender('origins'), o, id);
    }
  }

  /** Commits everything appended so far (each appender flush is a transaction, logged in the WAL). */
  commit(): void {
    // origins first: a committed span always finds its origin
    for (const a of this.appenders.values()) a.flushSync();
  }

  /** A statement on the writer connection (runs, retention); callers serialize with ingest. */
  async write(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    const reader = await this.writer.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as Row[];
  }

  /** A data-changing statement on the writer connection; returns the number of rows changed. */
  async change(sql: string, params: DuckDBValue[] = []): Promise<number> {
    const result = await this.writer.run(sql, params);
    return Number(result.rowsChanged);
  }

  /** A read-only query on the pool. */
  query(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return this.reads.query(sql, params);
  }

  /** Bytes the database occupies: used blocks (what retention bounds) and the files on disk. */
  async size(): Promise<{ usedBytes: number; fileBytes: number; walBytes: number }> {
    const rows = await this.query('PRAGMA database_size');
    const row = rows[0] ?? {};
    const used = Number(row.used_blocks ?? 0) * Number(row.block_size ?? 0);
    return {
      usedBytes: used,
      fileBytes: fileSize(this.file),
      walBytes: fileSize(`${this.file}.wal`),
    };
  }

  /** Bytes in the write-ahead log (what the next checkpoint moves into the database file). */
  walBytes(): number {
    return fileSize(`${this.file}.wal`);
  }

  async checkpoint(): Promise<void> {
    await this.writer.run('CHECKPOINT');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.commit();
    } finally {
      for (const a of this.appenders.values()) a.closeSync();
      this.reads.close();
      try {
        await this.writer.run('CHECKPOINT');
      } catch {
        // the WAL is replayed on next open if the checkpoint fails
      }
      this.writer.closeSync();
      this.instance.closeSync();
    }
  }

  private appender(table: string): DuckDBAppender {
    const a = this.appenders.get(table);
    if (!a) throw new Error(`no appender for ${table}`);
    return a;
  }

  /** Creates the appenders up front (createAppender is async). */
  async prepareAppenders(): Promise<void> {
    for (const table of ['origins', 'trace_index', 'spans', 'metric_points', 'logs']) {
      if (!this.appenders.has(table))
        this.appenders.set(table, await this.writer.createAppender(table));
    }
    this.spanWriter = new SpanChunkWriter(this.appender('spans'));
  }

  /**
   * Group commit in one transaction: `begin()`, `append()`s, `flush()` (moves the appended rows into the
   * transaction, on this thread), then `commitTransaction()`, whose WAL write runs off the event loop.
   * All tables of a group (origins, trace index, spans, points, logs) commit atomically.
   */
  async begin(): Promise<void> {
    await this.writer.run('BEGIN TRANSACTION');
  }

  async commitTransaction(): Promise<void> {
    await this.writer.run('COMMIT');
  }

  async rollback(): Promise<void> {
    try {
      await this.writer.run('ROLLBACK');
    } catch {
      // no transaction open
    }
  }

  /** Drops rows appended since the last commit and recreates the appenders (after a failed commit). */
  async resetAppenders(): Promise<void> {
    for (const a of this.appenders.values()) {
      try {
        a.clear();
        a.closeSync();
      } catch {
        // already invalid
      }
    }
    this.appenders.clear();
    await this.prepareAppenders();
    // origins appended but not committed are gone: forget them so they are appended again
    this.knownOrigins.clear();
    const rows = await this.write('SELECT DISTINCT id FROM origins');
    for (const r of rows) this.knownOrigins.add(r.id as bigint);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
