/** Parses sizes (`500MB`, `2GiB`, `1048576`) and durations (`7d`, `12h`, `30m`, `90s`) given as flags. */
import { InvalidArgumentError } from 'commander';

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * @example
 * parseSize('500MB'); // 500000000
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined || Number(m[1]) <= 0)
    throw new InvalidArgumentError(`"${text}" is not a size such as 500MB or 2GiB`);
  return Math.round(Number(m[1]) * unit);
}

/**
 * @example
 * parseDuration('7d'); // 604800000
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/i.exec(text);
  const unit = DURATION_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined || Number(m[1]) <= 0)
    throw new InvalidArgumentError(`"${text}" is not a duration such as 90s, 12h or 7d`);
  return Math.round(Number(m[1]) * unit);
}

export function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`"${text}" is not a port from 0 to 65535`);
  return n;
}
