// Small helpers every benchmark driver and child shares: statistics, number formatting, argument
// checks and messages. One copy here, so every table rounds and reports the same way.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

export const round2 = (n) => Math.round(n * 100) / 100;
export const round3 = (n) => Math.round(n * 1000) / 1000;
export const round4 = (n) => Math.round(n * 10_000) / 10_000;

export function fmtNs(ns) {
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(1);
}

export function fmtInt(n) {
  return n.toLocaleString('en-US');
}

/**
 * Where a benchmark writes its JSON: `--out` if given, else `results/<name>.json`, or in quick mode
 * `results/<name>.quick.local.json` (which git ignores).
 */
export function resultsPath(name, args) {
  if (args.out !== undefined) return path.resolve(args.out);
  const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  return path.join(benchDir, 'results', args.quick ? `${name}.quick.local.json` : `${name}.json`);
}

/** Progress and diagnostics go to stderr, so stdout stays the table. */
export function log(message) {
  console.error(message);
}

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** A positive integer command-line option (`--rounds 5`), or `fallback` when absent. */
export function intArg(args, name, fallback) {
  if (args[name] === undefined) return fallback;
  const value = Number(args[name]);
  if (!Number.isSafeInteger(value) || value <= 0) fail(`--${name} must be a positive integer`);
  return value;
}

/** A positive integer from the environment (the driver passes settings to children that way). */
export function positiveInt(name) {
  const value = nonNegativeInt(name);
  if (value === 0) throw new Error(`${name} must be a positive integer, got 0`);
  return value;
}

export function nonNegativeInt(name) {
  const value = Number(process.env[name]);
  if (process.env[name] === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${process.env[name]}`);
  }
  return value;
}

/** The version from a dependency's package.json, found by walking up from its entry point. */
export function packageVersion(name) {
  try {
    let dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
    while (dir !== path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8'));
        if (pkg.name === name) return pkg.version;
      }
      dir = path.dirname(dir);
    }
  } catch {
    // Reported as unknown.
  }
  return 'unknown';
}

/**
 * Runs `node --expose-gc <child> <variant>` with the caller's environment minus every `OTEL_*` and
 * `SIGHTLINE_*` variable (each variant must see only the configuration its child writes) plus
 * `benchEnv`. Returns `{ result, stderr }`: the JSON the child printed after `BENCH_RESULT ` and
 * its stderr lines (kept in the results, for drops and warnings). Exits the driver with
 * the child's output when it fails or prints no result.
 */
export async function runVariantChild(child, variant, benchEnv, { cwd, timeout = 180_000 }) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('OTEL_') || key.startsWith('SIGHTLINE_')) delete env[key];
  }
  Object.assign(env, benchEnv);
  let stdout;
  let stderr;
  try {
    ({ stdout, stderr } = await runFile(process.execPath, ['--expose-gc', child, variant], {
      cwd,
      env,
      timeout,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    fail(`variant ${variant} failed: ${error.message}\n${error.stderr ?? ''}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) fail(`variant ${variant} printed no result.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  const trimmed = stderr.trim();
  return {
    result: JSON.parse(line.slice(RESULT_PREFIX.length)),
    stderr: trimmed ? trimmed.split('\n') : [],
  };
}

const RESULT_PREFIX = 'BENCH_RESULT ';
const runFile = promisify(execFile);
