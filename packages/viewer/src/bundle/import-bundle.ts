/** Import a bundle written by `exportRun` (or any OTLP/JSON lines, gzip or plain) as a new run. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SightlineError } from '../errors.js';
import { logsFromJson } from '../receiver/json-logs.js';
import { metricsFromJson } from '../receiver/json-metrics.js';
import { tracesFromJson } from '../receiver/json-traces.js';
import { type JsonObject, OtlpJsonError } from '../receiver/json-values.js';
import type { DecodedBatch } from '../receiver/rows.js';
import { startRun } from '../store/runs.js';
import type { CommitCounts, Store } from '../store/store.js';

export interface ImportResult {
  runId: number;
  spans: number;
  logs: number;
  metricPoints: number;
}

async function isGzip(file: string): Promise<boolean> {
  const stream = createReadStream(file, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const head = Buffer.concat(chunks);
  return head[0] === 0x1f && head[1] === 0x8b;
}

function lineBatch(obj: JsonObject, line: number): DecodedBatch {
  if (obj.traces && typeof obj.traces === 'object')
    return { signal: 'traces', data: tracesFromJson(obj.traces as JsonObject) };
  if (obj.metrics && typeof obj.metrics === 'object')
    return { signal: 'metrics', data: metricsFromJson(obj.metrics as JsonObject) };
  if (obj.logs && typeof obj.logs === 'object')
    return { signal: 'logs', data: logsFromJson(obj.logs as JsonObject) };
  if (obj.resourceSpans) return { signal: 'traces', data: tracesFromJson(obj) };
  if (obj.resourceMetrics) return { signal: 'metrics', data: metricsFromJson(obj) };
  if (obj.resourceLogs) return { signal: 'logs', data: logsFromJson(obj) };
  throw new OtlpJsonError(`line ${line} is not a traces, metrics or logs request`);
}

/**
 * Reads `file` into a new run named `name` and commits it.
 *
 * @example
 * const { runId } = await importBundle(store, 'run-3.jsonl.gz', 'before the fix');
 */
export async function importBundle(
  store: Store,
  file: string,
  name: string,
): Promise<ImportResult> {
  let input: Readable;
  try {
    input = createReadStream(file);
    if (await isGzip(file)) input = input.pipe(createGunzip());
  } catch (error) {
    throw new SightlineError(
      'SIGHTLINE_ERR_VIEWER_BUNDLE',
      `cannot read ${file}: ${(error as Error).message}`,
    );
  }
  const runId = await startRun(store, name, 'import');
  const counts: CommitCounts = { spans: 0, logs: 0, metricPoints: 0, services: new Set() };
  let lineNo = 0;
  let pending = 0;
  try {
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNo++;
      if (!line.trim()) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (error) {
        throw new OtlpJsonError(`line ${lineNo} is not JSON: ${(error as Error).message}`);
      }
      if (!obj || typeof obj !== 'object')
        throw new OtlpJsonError(`line ${lineNo} is not an object`);
      const batch = lineBatch(obj as JsonObject, lineNo);
      store.append(runId, [batch], counts);
      pending += batch.data.rows.length;
      if (pending >= 20_000) {
        store.commit();
        pending = 0;
      }
    }
    store.commit();
  } catch (error) {
    await store.resetAppenders();
    await store.write('UPDATE runs SET ended_ns = started_ns WHERE id = $1', [runId]);
    throw new SightlineError(
      'SIGHTLINE_ERR_VIEWER_BUNDLE',
      `cannot import ${file}: ${(error as Error).message} (the rows committed before line ${lineNo} stay in run ${runId})`,
      { cause: error },
    );
  }
  await store.write(
    `UPDATE runs SET started_ns = coalesce((SELECT min(start_ns) FROM spans WHERE run_id = $1), started_ns),
       ended_ns = coalesce((SELECT max(end_ns) FROM spans WHERE run_id = $1), started_ns) WHERE id = $1`,
    [runId],
  );
  return { runId, spans: counts.spans, logs: counts.logs, metricPoints: counts.metricPoints };
}
