/**
 * Histogram points as heatmap cells: per time bucket, the count in each histogram bucket. Cumulative
 * histograms are turned into per-bucket increments (a drop means the process restarted: the new
 * counts are taken as they are).
 */

export interface HistogramPointLike {
  tMs: number;
  bounds?: number[];
  bucketCounts?: number[];
}

export interface Heatmap {
  times: number[];
  /** Upper bounds of the rows; the last row is everything above the last bound (Infinity). */
  bounds: number[];
  /** counts[timeIndex][rowIndex] */
  counts: number[][];
  max: number;
}

/**
 * @example
 * heatmapFromPoints([{ tMs: 0, bounds: [1], bucketCounts: [2, 3] }], 1).counts; // [[2, 3]]
 */
export function heatmapFromPoints(
  points: readonly HistogramPointLike[],
  temporality: number | null,
): Heatmap {
  const usable = points.filter((p) => p.bounds && p.bucketCounts && p.bucketCounts.length > 0);
  const first = usable[0];
  const bounds = first?.bounds ?? [];
  const rows = bounds.length + 1;
  const times: number[] = [];
  const counts: number[][] = [];
  let previous: number[] | undefined;
  let max = 0;
  for (const point of usable) {
    const raw = point.bucketCounts as number[];
    if (raw.length !== rows) continue; // bounds changed: skip what does not fit the first layout
    let row: number[];
    if (temporality === 2 && previous) {
      const prev = previous;
      const reset = raw.some((c, i) => c < (prev[i] ?? 0));
      row = reset ? [...raw] : raw.map((c, i) => c - (prev[i] ?? 0));
    } else row = [...raw];
    previous = raw;
    times.push(point.tMs);
    counts.push(row);
    for (const c of row) if (c > max) max = c;
  }
  return { times, bounds: [...bounds, Number.POSITIVE_INFINITY], counts, max };
}

/**
 * Merges heatmaps of several series (same bounds) by adding counts at equal times.
 *
 * @example
 * mergeHeatmaps([a, b]).counts;
 */
export function mergeHeatmaps(maps: readonly Heatmap[]): Heatmap {
  const first = maps.find((m) => m.times.length > 0);
  if (!first) return { times: [], bounds: [], counts: [], max: 0 };
  const key = first.bounds.join(',');
  const byTime = new Map<number, number[]>();
  for (const map of maps) {
    if (map.bounds.join(',') !== key) continue;
    for (let i = 0; i < map.times.length; i++) {
      const t = map.times[i] as number;
      const row = map.counts[i] ?? [];
      const sum = byTime.get(t);
      if (!sum) byTime.set(t, [...row]);
      else for (let r = 0; r < row.length; r++) sum[r] = (sum[r] ?? 0) + (row[r] ?? 0);
    }
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const counts = times.map((t) => byTime.get(t) as number[]);
  let max = 0;
  for (const row of counts) for (const c of row) if (c > max) max = c;
  return { times, bounds: first.bounds, counts, max };
}
