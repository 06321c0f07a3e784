/**
 * `sightline export` and `sightline import`: a run to a portable bundle (gzip OTLP/JSON lines) and back.
 * Both open the data directory directly, so the viewer must not be running on it (or use
 * `GET /api/runs/{id}/export` while it runs).
 */
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { defaultDataDir, exportRun, importBundle, Store } from '@sightline/viewer';
import type { Command } from 'commander';

interface StoreFlags {
  dataDir?: string;
  json?: boolean;
}

export function registerExportImport(program: Command): void {
  program
    .command('export')
    .description('export a run to a bundle (gzip OTLP/JSON lines)')
    .argument('<run>', 'run id (see `sightline runs`)')
    .requiredOption('-o, --output <file>', 'bundle file to write, e.g. run.jsonl.gz')
    .option('--data-dir <dir>', 'store directory')
    .option('--json', 'print the result as JSON')
    .action(async (run: string, flags: StoreFlags & { output: string }) => {
      const id = Number(run);
      if (!Number.isInteger(id) || id < 1) throw new Error(`"${run}" is not a run id`);
      const store = await Store.open({ dataDir: flags.dataDir ?? defaultDataDir() });
      try {
        const counts = await exportRun(store, id, createWriteStream(flags.output));
        if (flags.json) console.log(JSON.stringify({ run: id, file: flags.output, ...counts }));
        else
          console.log(
            `exported run ${id} to ${flags.output}: ${counts.spans} spans, ${counts.metricPoints} metric points, ${counts.logs} log records`,
          );
      } finally {
        await store.close();
      }
    });
  program
    .command('import')
    .description('import a bundle as a new run')
    .argument('<file>', 'bundle written by `sightline export` (gzip or plain OTLP/JSON lines)')
    .option('--name <name>', 'name of the new run (default: "import <file name>")')
    .option('--data-dir <dir>', 'store directory')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: StoreFlags & { name?: string }) => {
      const store = await Store.open({ dataDir: flags.dataDir ?? defaultDataDir() });
      try {
        const r = await importBundle(store, file, flags.name ?? `import ${basename(file)}`);
        if (flags.json) console.log(JSON.stringify(r));
        else
          console.log(
            `imported ${file} as run ${r.runId}: ${r.spans} spans, ${r.metricPoints} metric points, ${r.logs} log records`,
          );
      } finally {
        await store.close();
      }
    });
  program
    .command('runs')
    .description('list the runs in the store')
    .option('--data-dir <dir>', 'store directory')
    .option('--json', 'print JSON')
    .action(async (flags: StoreFlags) => {
      const store = await Store.open({ dataDir: flags.dataDir ?? defaultDataDir() });
      try {
        const rows = await store.query(
          `SELECT r.id, r.name, r.source, r.started_ns, (SELECT count(*) FROM spans s WHERE s.run_id = r.id) AS spans
           FROM runs r ORDER BY r.id`,
        );
        const runs = rows.map((r) => ({
          id: Number(r.id),
          name: String(r.name),
          source: String(r.source),
          started: new Date(Number((r.started_ns as bigint) / 1_000_000n)).toISOString(),
          spans: Number(r.spans),
        }));
        if (flags.json) console.log(JSON.stringify(runs));
        else
          for (const r of runs)
            console.log(`${r.id}\t${r.started}\t${r.source}\t${r.spans} spans\t${r.name}`);
      } finally {
        await store.close();
      }
    });
}
