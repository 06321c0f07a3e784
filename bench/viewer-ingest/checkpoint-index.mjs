// Why the viewer checkpoints rarely: DuckDB's CHECKPOINT rewrites a table's whole ART index each time, so its
// cost grows with the index, not with the rows added since the last checkpoint. Adds 100k rows at a time to a
// table shaped like `trace_index` (32-hex trace id, two BIGINTs) up to 1M rows and times each CHECKPOINT, with
// the ART index on the trace id (as the viewer has it) and without. Writes results/viewer-checkpoint-index.json.
//
//   node viewer-ingest/checkpoint-index.mjs [--rounds N]
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values: args } = parseArgs({ options: { rounds: { type: 'string' } } });
const rounds = Number(args.rounds ?? 10);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-checkpoint-'));
const result = {
  benchmark: 'viewer-checkpoint-index',
  date: new Date().toISOString(),
  rowsPerRound: 100_000,
  variants: {},
};
try {
  for (const variant of ['art-index', 'no-index']) {
    const instance = await DuckDBInstance.create(path.join(dir, `${variant}.duckdb`));
    const c = await instance.connect();
    await c.run('CREATE TABLE t (trace_id VARCHAR, lo BIGINT, hi BIGINT)');
    if (variant === 'art-index') await c.run('CREATE INDEX t_id ON t (trace_id)');
    const ms = [];
    for (let r = 0; r < rounds; r++) {
      await c.run(
        `INSERT INTO t SELECT md5((i + ${r * 100_000})::VARCHAR), i, i FROM range(100000) r(i)`,
      );
      const t0 = performance.now();
      await c.run('CHECKPOINT');
      ms.push(Math.round(performance.now() - t0));
    }
    result.variants[variant] = { checkpointMs: ms };
    c.closeSync();
    instance.closeSync();
    console.log(
      `${variant}: CHECKPOINT ms after each 100k rows, up to ${rounds * 100}k: ${ms.join(' ')}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const out = path.join(import.meta.dirname, '..', 'results', 'viewer-checkpoint-index.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
