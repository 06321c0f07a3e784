/**
 * Series with their own time buckets, aligned on one x axis for uPlot: the union of the bucket
 * times, and per series the value at each time or null (a gap).
 */

export interface PointSeries<P extends { tMs: number }> {
  points: readonly P[];
}

/**
 * @example
 * alignSeries([{ points: [{ tMs: 1, v: 2 }] }, { points: [{ tMs: 2, v: 3 }] }], (p) => p.v);
 * // { xs: [1, 2], values: [[2, null], [null, 3]] }
 */
export function alignSeries<P extends { tMs: number }>(
  series: readonly PointSeries<P>[],
  pick: (point: P, previous: P | undefined) => number | null | undefined,
): { xs: number[]; values: (number | null)[][] } {
  const times = new Set<number>();
  for (const s of series) for (const p of s.points) times.add(p.tMs);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const values = series.map((s) => {
    const row: (number | null)[] = new Array(xs.length).fill(null);
    let previous: P | undefined;
    for (const p of s.points) {
      const v = pick(p, previous);
      previous = p;
      const i = index.get(p.tMs);
      if (i !== undefined && v !== null && v !== undefined && Number.isFinite(v)) row[i] = v;
    }
    return row;
  });
  return { xs, values };
}

/**
 * Per-second rate of a cumulative counter between consecutive buckets (negative steps, a restart,
 * give no value).
 *
 * @example
 * counterRate({ tMs: 2000, last: 30 }, { tMs: 1000, last: 10 }); // 20
 */
export function counterRate(
  point: { tMs: number; last?: number | undefined },
  previous: { tMs: number; last?: number | undefined } | undefined,
): number | null {
  if (!previous || point.last === undefined || previous.last === undefined) return null;
  const dt = (point.tMs - previous.tMs) / 1000;
  const dv = point.last - previous.last;
  if (dt <= 0 || dv < 0) return null;
  return dv / dt;
}

/**
 * A short label for a series from its service and attributes.
 *
 * @example
 * seriesLabel('api', { 'http.route': '/a' }); // 'api http.route=/a'
 */
export function seriesLabel(service: string, attributes: Record<string, unknown>): string {
  const parts = Object.keys(attributes)
    .sort()
    .map(
      (k) =>
        `${k}=${typeof attributes[k] === 'string' ? attributes[k] : JSON.stringify(attributes[k])}`,
    );
  return [service, ...parts].filter(Boolean).join(' ');
}
