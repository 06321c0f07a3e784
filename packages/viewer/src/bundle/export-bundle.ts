/**
 * Export a run as a portable bundle: gzip-compressed JSON lines, each `{"traces": ExportTraceServiceRequest}`,
 * `{"metrics": ...}` or `{"logs": ...}` in OTLP/JSON, at most `chunk` items per line.
 */
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { SightlineError } from '../errors.js';
import type { Store } from '../store/store.js';
import { logsRequest, metricsRequest, tracesRequest } from './otlp-json-encode.js';

export interface ExportCounts {
  spans: number;
  logs: number;
  metricPoints: number;
}

const SOURCES = [
  ['spans', 'start_ns', 'traces', tracesRequest],
  ['metric_points', 'time_ns', 'metrics', metricsRequest],
  ['logs', 'time_ns', 'logs', logsRequest],
] as const;

/**
 * Writes run `runId` to `out` as a gzip bundle and ends `out`.
 *
 * @example
 * await exportRun(store, 3, createWriteStream('run-3.jsonl.gz'));
 */
export async function exportRun(
  store: Store,
  runId: number,
  out: Writable,
  chunk = 1000,
): Promise<ExportCounts> {
  const runs = await store.query('SELECT id FROM runs WHERE id = $1', [runId]);
  if (runs.length === 0)
    throw new SightlineError('SIGHTLINE_ERR_VIEWER_BUNDLE', `there is no run ${runId} to export`);
  const gzip = createGzip();
  gzip.pipe(out);
  const counts: ExportCounts = { spans: 0, logs: 0, metricPoints: 0 };
  const write = (line: string): Promise<void> =>
    new Promise((resolve) => {
      if (gzip.write(line)) resolve();
      else gzip.once('drain', resolve);
    });
  for (const [table, column, key, encode] of SOURCES) {
    let offset = 0;
    while (true) {
      const rows = await store.query(
        `SELECT * FROM ${table} WHERE run_id = $1 ORDER BY ${column}, rowid LIMIT ${chunk} OFFSET ${offset}`,
        [runId],
      );
      if (rows.length === 0) break;
      offset += rows.length;
      await write(`${JSON.stringify({ [key]: encode(rows) })}\n`);
      if (table === 'spans') counts.spans += rows.length;
      else if (table === 'logs') counts.logs += rows.length;
      else counts.metricPoints += rows.length;
      if (rows.length < chunk) break;
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    gzip.end();
  });
  return counts;
}
