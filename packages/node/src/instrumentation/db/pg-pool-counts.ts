import type { Attributes } from '@opentelemetry/api';
import { abandonTransaction, type PgClient } from './pg-transactions.js';

const RELEASE_WATCHED = Symbol('sightline.pg.pool.release-watched');

/** The parts of a `pg-pool` Pool this module reads. */
export interface PgPool {
  options?: { host?: string; port?: number; database?: string };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  on(event: 'release', listener: (error: unknown, client: PgClient) => void): unknown;
  [RELEASE_WATCHED]?: true;
}

export type PgPoolConnect = (this: PgPool, ...args: unknown[]) => unknown;

/**
 * The counters of `@opentelemetry/instrumentation-pg` this module keeps current. That instrumentation
 * updates `db.client.connection.count` and `db.client.connection.pending_requests` only on pool
 * events, so a request queued on an exhausted pool (which fires none) would never show as pending.
 */
export interface PoolCounters {
  _connectionsCount?: { add(value: number, attributes: Attributes): void };
  _connectionPendingRequests?: { add(value: number, attributes: Attributes): void };
  _connectionsCounter?: { used: number; idle: number; pending: number };
}

/**
 * Wraps the (already instrumented) `Pool.prototype.connect`: recounts used, idle and pending
 * connections right after a request is queued and again when it is served or fails, and ends the
 * open transaction of a client released mid-transaction.
 */
export function withPoolCounts(connect: PgPoolConnect, counters: PoolCounters): PgPoolConnect {
  return function connectCounted(this: PgPool, ...args: unknown[]): unknown {
    const pool = this;
    try {
      watchReleases(pool);
    } catch {}
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = function recountedCallback(this: unknown, ...results: unknown[]) {
        recount(pool, counters);
        return Reflect.apply(callback, this, results);
      };
    }
    const result = connect.apply(pool, args);
    recount(pool, counters);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function')
      (result as PromiseLike<unknown>).then(
        () => recount(pool, counters),
        () => recount(pool, counters),
      );
    return result;
  };
}

function watchReleases(pool: PgPool): void {
  if (pool[RELEASE_WATCHED] === true || typeof pool.on !== 'function') return;
  pool[RELEASE_WATCHED] = true;
  pool.on('release', (_error, client) => abandonTransaction(client));
}

function recount(pool: PgPool, counters: PoolCounters): void {
  try {
    const count = counters._connectionsCount;
    const pending = counters._connectionPendingRequests;
    const previous = counters._connectionsCounter;
    if (!count || !pending || !previous) return;
    // The pool name exactly as the contrib instrumentation writes it, so both update one series.
    const options = pool.options ?? {};
    const name = `${options.host ? options.host : 'unknown_host'}:${options.port ? options.port : 'unknown_port'}/${options.database ? options.database : 'unknown_database'}`;
    const idle = pool.idleCount;
    const used = pool.totalCount - idle;
    const waiting = pool.waitingCount;
    const pool_ = { 'db.client.connection.pool.name': name };
    count.add(used - previous.used, { 'db.client.connection.state': 'used', ...pool_ });
    count.add(idle - previous.idle, { 'db.client.connection.state': 'idle', ...pool_ });
    pending.add(waiting - previous.pending, pool_);
    counters._connectionsCounter = { used, idle, pending: waiting };
  } catch {
    // Never into the host app.
  }
}
