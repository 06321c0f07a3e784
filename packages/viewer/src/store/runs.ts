/** Runs: each start of `sightline dev` (optionally named) and each imported bundle is a run. */
import type { Store } from './store.js';

export type RunSource = 'dev' | 'import';

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Creates a run and returns its id (one more than the largest so far). */
export async function startRun(store: Store, name: string, source: RunSource): Promise<number> {
  const rows = await store.write(
    'INSERT INTO runs SELECT coalesce(max(id), 0) + 1, $1, $2, $3, NULL FROM runs RETURNING id',
    [name, source, nowNs()],
  );
  return Number(rows[0]?.id);
}

/** Marks a run as ended now. */
export async function endRun(store: Store, id: number): Promise<void> {
  await store.write('UPDATE runs SET ended_ns = $1 WHERE id = $2 AND ended_ns IS NULL', [
    nowNs(),
    id,
  ]);
}

/**
 * Runs left open by a process that did not stop cleanly (kill -9, power loss) end at their last data.
 */
export async function closeAbandonedRuns(store: Store): Promise<void> {
  await store.write(`
    UPDATE runs SET ended_ns = coalesce(
      (SELECT max(end_ns) FROM spans WHERE spans.run_id = runs.id), runs.started_ns)
    WHERE ended_ns IS NULL`);
}

/** The default name of a `sightline dev` run: `dev <ISO time>`. */
export function defaultRunName(date = new Date()): string {
  return `dev ${date.toISOString().replace(/\.\d+Z$/, 'Z')}`;
}
