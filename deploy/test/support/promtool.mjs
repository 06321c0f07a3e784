import { execFileSync, spawnSync } from 'node:child_process';

/**
 * The `promtool` and `prometheus` binaries (Debian's `prometheus` package, installed by .ci/run).
 * Missing binaries fail the test under CI and skip it, loudly, elsewhere.
 */
export function findPrometheusTools() {
  const which = (name) => {
    try {
      return (
        execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
      );
    } catch {
      return undefined;
    }
  };
  const promtool = which('promtool');
  const prometheus = which('prometheus');
  if (promtool !== undefined && prometheus !== undefined) return { promtool, prometheus };
  const message =
    'promtool/prometheus not found: install Debian\'s "prometheus" package (apt-get install -y prometheus)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING Prometheus tests: ${message} ***\n`);
  return undefined;
}

/** Runs promtool; returns { status, output } (stdout and stderr together). */
export function promtool(binary, args, options = {}) {
  const result = spawnSync(binary, args, { encoding: 'utf8', ...options });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
