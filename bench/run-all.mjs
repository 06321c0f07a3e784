// Runs every benchmark of this package (each folder with a run.mjs), one after another, passing
// the arguments on (e.g. --quick). `npm run bench` from the repository root builds first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const only = process.env.BENCH_ONLY?.split(',');
const benchmarks = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(here, d.name, 'run.mjs')))
  .map((d) => d.name)
  .filter((name) => only === undefined || only.includes(name))
  .sort();
for (const name of benchmarks) {
  console.log(`\n### ${name}`);
  const result = spawnSync(
    process.execPath,
    [path.join(here, name, 'run.mjs'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error(`${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
