import type { Attributes, Meter } from '@opentelemetry/api';
import { METRIC } from '../../metrics/metric-catalogue.js';
import { abandonTransaction, type PgClient } from './pg-transactions.js';

/** The parts of a `pg-pool` Pool this module reads. */
export interface PgPool {
  options?: { host?: string; port?: number; database?: string };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  ended?: boolean;
  on(event: 'release', listener: (...args: unknown[]) => void): unknown;
}

interface Watched {
  pool: WeakRef<PgPool>;
  used: Attributes;
  idle: Attributes;
  name: Attributes;
}

/**
 * `db.client.connection.count` (used and idle) and `db.client.connection.pending_requests` of every
 * pg pool, read from the pool when metrics are collected: nothing runs per query or per checkout
 * (the contrib updates up-down counters on every pool event, about 2 % of a one-query request's
 * CPU in `bench/http`), a request queued on an exhausted pool shows at once, and two pools never
 * mix. Pools are held weakly and dropped once ended or collected.
 */
export class PgPoolCounts {
  private readonly watched = new WeakMap<PgPool, Watched>();
  private readonly refs = new Set<Watched>();

  constructor(meter: Meter) {
    const count = meter.createObservableUpDownCounter(METRIC.DB_CONNECTION_COUNT, {
      unit: '{connection}',
      description:
        'The number of connections that are currently in the state described by the state attribute.',
    });
    const pending = meter.createObservableUpDownCounter(METRIC.DB_CONNECTION_PENDING, {
      unit: '{connection}', // as the contrib and docs/metrics.md have it
      description: 'The number of current pending requests for an open connection.',
    });
    meter.addBatchObservableCallback(
      (result) => {
        for (const entry of this.refs) {
          const pool = entry.pool.deref();
          if (pool === undefined || pool.ended === true) {
            this.refs.delete(entry);
            if (pool !== undefined) this.watched.delete(pool);
            continue;
          }
          const idle = pool.idleCount;
          result.observe(count, pool.totalCount - idle, entry.used);
          result.observe(count, idle, entry.idle);
          result.observe(pending, pool.waitingCount, entry.name);
        }
      },
      [count, pending],
    );
  }

  /**
   * Counts this pool from now on (once, however often it is seen), and ends the open transaction
   * of a client released mid-transaction.
   */
  watch(pool: PgPool): void {
    if (this.watched.has(pool) || typeof pool.on !== 'function') return;
    const name = { 'db.client.connection.pool.name': poolName(pool) };
    const entry: Watched = {
      pool: new WeakRef(pool),
      used: { 'db.client.connection.state': 'used', ...name },
      idle: { 'db.client.connection.state': 'idle', ...name },
      name,
    };
    this.watched.set(pool, entry);
    this.refs.add(entry);
    pool.on('release', (_error, client) => abandonTransaction(client as PgClient | undefined));
  }
}

/** The pool name exactly as the contrib writes it (`host:port/database`), as on `db.client.connection.max`. */
function poolName(pool: PgPool): string {
  const { host, port, database } = pool.options ?? {};
  return `${host ? host : 'unknown_host'}:${port ? port : 'unknown_port'}/${database ? database : 'unknown_database'}`;
}
