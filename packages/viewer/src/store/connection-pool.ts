/** A small pool of DuckDB read connections, so API queries run concurrently with each other and with ingest. */
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private created = 0;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly size: number,
  ) {}

  /** Runs one statement and returns its rows as plain JS objects (BIGINT as bigint). */
  async query(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    const conn = await this.acquire();
    try {
      const reader = await conn.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as Row[];
    } finally {
      this.release(conn);
    }
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('the store is closed');
    const conn = this.idle.pop();
    if (conn) return conn;
    if (this.created < this.size) {
      this.created++;
      return this.instance.connect();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else if (this.closed) conn.closeSync();
    else this.idle.push(conn);
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.closeSync();
  }
}
