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

/** A pool's series: pools with the same name (`host:port/database`) are summed into it. */
interface Series {
  used: Attributes;
  idle: Attributes;
  name: Attributes;
  pools: Set<WeakRef<PgPool>>;
}

/** Past this many watched pools, `watch()` drops those gone, in case nothing collects metrics. */
const PRUNE_AT = 1024;

/**
 * `db.client.connection.count` (used and idle) and `db.client.connection.pending_requests` of every
 * pg pool, read from the pools when metrics are collected: nothing runs per query or per checkout
 * (the contrib updates up-down counters on every pool event, about 2 % of a one-query request's
 * CPU in `bench/http`), and a request queued on an exhausted pool shows at once. Pools with the
 * same name are summed, as the counters summed them; a pool that ended (or was collected) reports
 * zero once and is then dropped. Pools are held weakly.
 */
export class PgPoolCounts {
  private readonly seen = new WeakSet<PgPool>();
  private readonly series = new Map<string, Series>();
  private watchedPools = 0;

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
        for (const [key, entry] of this.series) {
          let used = 0;
          let idle = 0;
          let waiting = 0;
          for (const ref of entry.pools) {
            const pool = ref.deref();
            if (pool === undefined || pool.ended === true) {
              entry.pools.delete(ref);
              this.watchedPools--;
              continue;
            }
            used += pool.totalCount - pool.idleCount;
            idle += pool.idleCount;
            waiting += pool.waitingCount;
          }
          result.observe(count, used, entry.used);
          result.observe(count, idle, entry.idle);
          result.observe(pending, waiting, entry.name);
          // Zero was just reported for a name whose pools are all gone: stop reporting it.
          if (entry.pools.size === 0) this.series.delete(key);
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
    if (this.seen.has(pool) || typeof pool.on !== 'function') return;
    this.seen.add(pool);
    const key = poolName(pool);
    let entry = this.series.get(key);
    if (entry === undefined) {
      const name = { 'db.client.connection.pool.name': key };
      entry = {
        used: { 'db.client.connection.state': 'used', ...name },
        idle: { 'db.client.connection.state': 'idle', ...name },
        name,
        pools: new Set(),
      };
      this.series.set(key, entry);
    }
    entry.pools.add(new WeakRef(pool));
    if (++this.watchedPools > PRUNE_AT) this.prune();
    pool.on('release', (_error, client) => abandonTransaction(client as PgClient | undefined));
  }

  private prune(): void {
    for (const entry of this.series.values()) {
      for (const ref of entry.pools) {
        if (ref.deref() !== undefined) continue;
        entry.pools.delete(ref);
        this.watchedPools--;
      }
    }
  }
}

/** The pool name exactly as the contrib writes it (`host:port/database`), as on `db.client.connection.max`. */
function poolName(pool: PgPool): string {
  const { host, port, database } = pool.options ?? {};
  return `${host ? host : 'unknown_host'}:${port ? port : 'unknown_port'}/${database ? database : 'unknown_database'}`;
}
