/**
 * Time ranges in the URL: `range=15m|1h|6h|24h|7d|all` relative to now, or explicit `start`/`end` in
 * milliseconds since the epoch (for a zoomed selection). Pure, so tests can pass `now`.
 */
import { num, one, type Query } from './url-state.js';

export const RANGES = ['5m', '15m', '1h', '6h', '24h', '7d', 'all'] as const;
export type RangeName = (typeof RANGES)[number];

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a relative range name, undefined for `all` or an unknown name. */
export function rangeMs(name: string): number | undefined {
  const match = /^(\d+)([mhd])$/.exec(name);
  if (!match) return undefined;
  const unit = UNIT_MS[match[2] as string] as number;
  return Number(match[1]) * unit;
}

/**
 * The absolute window a query selects: explicit start/end win, else the relative range (default
 * `all`: no bounds).
 *
 * @example
 * resolveWindow({ range: ['15m'] }, 1_000_000); // { start: 100000, end: undefined }
 */
export function resolveWindow(
  query: Query,
  now: number,
): { start: number | undefined; end: number | undefined } {
  const start = num(query, 'start');
  const end = num(query, 'end');
  if (start !== undefined || end !== undefined) return { start, end };
  const ms = rangeMs(one(query, 'range') ?? 'all');
  return { start: ms === undefined ? undefined : now - ms, end: undefined };
}
