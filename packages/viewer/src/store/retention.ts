/**
 * Retention by age and by size. Runs on the writer between commits: deletes rows older than `maxAgeMs`, and
 * when the database's used space exceeds `maxBytes`, the oldest data down to 80% of it. Every eviction is
 * counted in the `meta` table (so it survives restarts), shown by `/api/stats` and announced over `/api/live`.
 */
import type { Store } from './store.js';

export interface RetentionOptions {
  /** Largest used database size in bytes. Default 1 GiB. */
  maxBytes: number;
  /** Oldest data kept, in ms. Default 7 days. */
  maxAgeMs: number;
}

export interface EvictionCounts {
  spans: number;
  logs: number;
  metricPoints: number;
  byAge: number;
  bySize: number;
  lastEvictionMs: number | null;
}

export interface EvictionEvent {
  spans: number;
  logs: number;
  metricPoints: number;
  reason: 'age' | 'size';
}

const TABLES = [
  ['spans', 'start_ns', 'spans'],
  ['logs', 'time_ns', 'logs'],
  ['metric_points', 'time_ns', 'metricPoints'],
] as const;

export class RetentionPolicy {
  constructor(readonly options: RetentionOptions) {}

  async evicted(store: Store): Promise<EvictionCounts> {
    const rows = await store.query("SELECT key, value FROM meta WHERE key LIKE 'evicted_%'");
    const get = (k: string): number => Number(rows.find((r) => r.key === k)?.value ?? 0);
    const last = rows.find((r) => r.key === 'evicted_last_ms');
    return {
      spans: get('evicted_spans'),
      logs: get('evicted_logs'),
      metricPoints: get('evicted_metricPoints'),
      byAge: get('evicted_by_age'),
      bySize: get('evicted_by_size'),
      lastEvictionMs: last ? Number(last.value) : null,
    };
  }

  /** Applies both limits; returns what was evicted (one event per reason that removed anything). */
  async enforce(store: Store, nowMs = Date.now()): Promise<EvictionEvent[]> {
    const events: EvictionEvent[] = [];
    const ageCutoff = BigInt(Math.max(0, nowMs - this.options.maxAgeMs)) * 1_000_000n;
    const byAge = await this.deleteBefore(store, ageCutoff, 'age');
    if (byAge) events.push(byAge);
    const { usedBytes } = await store.size();
    if (usedBytes > this.options.maxBytes) {
      const cutoff = await this.sizeCutoff(store, usedBytes);
      if (cutoff !== undefined) {
        const bySize = await this.deleteBefore(store, cutoff, 'size');
        if (bySize) events.push(bySize);
      }
    }
    return events;
  }

  /** The time before which dropping data brings the store to ~80% of maxBytes (assuming uniform rows). */
  private async sizeCutoff(store: Store, usedBytes: number): Promise<bigint | undefined> {
    const fraction = Math.min(1, 1 - (this.options.maxBytes * 0.8) / usedBytes);
    const rows = await store.write(
      `SELECT quantile_disc(t, ${fraction}) AS cutoff FROM (
         SELECT start_ns AS t FROM spans UNION ALL SELECT time_ns FROM logs
         UNION ALL SELECT time_ns FROM metric_points)`,
    );
    const c = rows[0]?.cutoff;
    return typeof c === 'bigint' ? c + 1n : undefined;
  }

  private async deleteBefore(
    store: Store,
    cutoffNs: bigint,
    reason: 'age' | 'size',
  ): Promise<EvictionEvent | undefined> {
    const event: EvictionEvent = { spans: 0, logs: 0, metricPoints: 0, reason };
    for (const [table, column, key] of TABLES) {
      event[key] = await store.change(`DELETE FROM ${table} WHERE ${column} < $1`, [cutoffNs]);
    }
    const total = event.spans + event.logs + event.metricPoints;
    if (total === 0) return undefined;
    const bump = async (k: string, n: number): Promise<void> => {
      await store.write(
        'INSERT INTO meta VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = meta.value + excluded.value',
        [k, n],
      );
    };
    await bump('evicted_spans', event.spans);
    await bump('evicted_logs', event.logs);
    await bump('evicted_metricPoints', event.metricPoints);
    await bump(reason === 'age' ? 'evicted_by_age' : 'evicted_by_size', total);
    await store.write(
      "INSERT INTO meta VALUES ('evicted_last_ms', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [Date.now()],
    );
    // Freed blocks are reused (and the used size drops) only after a checkpoint.
    await store.checkpoint();
    return event;
  }
}
