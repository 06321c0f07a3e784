import type { Attributes } from '@opentelemetry/api';
import { abandonTransaction, type PgClient } from './pg-transactions.js';

const WATCHED = Symbol('sightline.pg.pool.watched');
const POOL_EVENTS = ['connect', 'acquire', 'remove', 'release'] as const;

/** The parts of a `pg-pool` Pool this module reads. */
export interface PgPool {
  options?: { host?: string; port?: number; database?: string };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  on(event: (typeof POOL_EVENTS)[number], listener: (...args: unknown[]) => void): unknown;
  [WATCHED]?: true;
}

export type PgPoolConnect = (this: PgPool, ...args: unknown[]) => unknown;

/** The up-down counters of `@opentelemetry/instrumentation-pg` that this module keeps current. */
export interface PoolInstruments {
  _connectionsCount?: { add(value: number, attributes: Attributes): void };
  _connectionPendingRequests?: { add(value: number, attributes: Attributes): void };
}

interface Counts {
  used: number;
  idle: number;
  pending: number;
}

// What each pool last reported. The contrib keeps one set of counts for all pools, so with two
// pools each one's changes were subtracted from the other's series.
const reported = new WeakMap<PgPool, Counts>();

/**
 * Takes over the contrib's pool listeners: recounts used, idle and pending connections of this pool
 * after its `connect`, `acquire`, `remove` and `release` events, and ends the open transaction of a
 * client released mid-transaction.
 */
export function watchPool(pool: PgPool, instruments: PoolInstruments): void {
  if (pool[WATCHED] === true || typeof pool.on !== 'function') return;
  pool[WATCHED] = true;
  // pg-pool emits `release` before the client is back in the idle list: count once it is.
  let scheduled = false;
  const recountSoon = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      recount(pool, instruments);
    });
  };
  for (const event of POOL_EVENTS) pool.on(event, recountSoon);
  pool.on('release', (_error, client) => abandonTransaction(client as PgClient | undefined));
}

/**
 * Wraps the (already instrumented) `Pool.prototype.connect`: recounts right after a request is
 * queued and again when it is served or fails. A request waiting on an exhausted pool fires no pool
 * event, so without this it would never show in `db.client.connection.pending_requests`.
 */
export function withPoolCounts(
  connect: PgPoolConnect,
  instruments: PoolInstruments,
): PgPoolConnect {
  return function connectCounted(this: PgPool, ...args: unknown[]): unknown {
    const pool = this;
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = function recountedCallback(this: unknown, ...results: unknown[]) {
        recount(pool, instruments);
        return Reflect.apply(callback, this, results);
      };
    }
    const result = connect.apply(pool, args);
    recount(pool, instruments);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function')
      (result as PromiseLike<unknown>).then(
        () => recount(pool, instruments),
        () => recount(pool, instruments),
      );
    return result;
  };
}

function recount(pool: PgPool, instruments: PoolInstruments): void {
  try {
    const count = instruments._connectionsCount;
    const pending = instruments._connectionPendingRequests;
    if (!count || !pending) return;
    const previous = reported.get(pool) ?? { used: 0, idle: 0, pending: 0 };
    const idle = pool.idleCount;
    const now = { used: pool.totalCount - idle, idle, pending: pool.waitingCount };
    const name = { 'db.client.connection.pool.name': poolName(pool) };
    if (now.used !== previous.used)
      count.add(now.used - previous.used, { 'db.client.connection.state': 'used', ...name });
    if (now.idle !== previous.idle)
      count.add(now.idle - previous.idle, { 'db.client.connection.state': 'idle', ...name });
    if (now.pending !== previous.pending) pending.add(now.pending - previous.pending, name);
    reported.set(pool, now);
  } catch {
    // Never into the host app.
  }
}

/** The pool name exactly as the contrib writes it (`host:port/database`), as on `db.client.connection.max`. */
function poolName(pool: PgPool): string {
  const { host, port, database } = pool.options ?? {};
  return `${host ? host : 'unknown_host'}:${port ? port : 'unknown_port'}/${database ? database : 'unknown_database'}`;
}
