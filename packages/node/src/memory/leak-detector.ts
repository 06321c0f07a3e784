import {
  classifySeverity,
  DEFAULT_SEVERITY_THRESHOLDS,
  type LeakSeverity,
  type SeverityThresholds,
} from './leak-severity.js';
import { mannKendall, median, type SeriesPoint, theilSenSlope } from './trend-statistics.js';

const HOUR = 3_600_000;
const MIB = 1024 * 1024;

/** Tuning of one leak detector. Every field has a default; see docs/memory.md for the reasoning. */
export interface LeakDetectorOptions {
  /**
   * The windows (ending now) the trend is measured over, ms, shortest first. A leak is a trend in any
   * of them: the short one sees a recent onset, the long ones see slow leaks through noise.
   * Default 30 min, 2 h, 6 h.
   */
  windowsMillis?: number[];
  /** Readings needed in a window before it counts. Default 12. */
  minPoints?: number;
  /** A window counts only once its readings span this fraction of it. Default 0.75. */
  minCoverage?: number;
  /** Readings during the first `warmupMillis` after `startTime` are ignored, ms. Default 5 min. */
  warmupMillis?: number;
  /** One-sided Mann–Kendall significance level, shared by all windows (Bonferroni). Default 0.001. */
  significance?: number;
  /** Growth below this is never a leak, bytes/hour. Default 1 MiB/h. */
  minGrowthBytesPerHour?: number;
  /** The rise over a window must be at least this many robust residual standard deviations. Default 3. */
  minRiseSigmas?: number;
  /**
   * Each half of a window must grow at least this fraction of the whole window's Theil–Sen slope,
   * so that one step up (a cache filling once) is not taken for a leak. Default 0.25.
   */
  consistency?: number;
  /** Consecutive positive evaluations before a leak is reported, and negative ones before it clears. Default 3. */
  persistence?: number;
  /**
   * The positive evaluations must also span this fraction of the deciding window, so that a random
   * excursion, which overlapping windows see again and again, has to last before it counts. Default 1/6.
   */
  persistenceFraction?: number;
  /** The fast path for steep leaks: a short window, stricter linearity, less persistence. */
  fastPath?: {
    /** Default 5 min. */
    windowMillis?: number;
    /** Default 6. */
    minPoints?: number;
    /** Only growth at least this steep takes the fast path, bytes/hour. Default 256 MiB/h. */
    minGrowthBytesPerHour?: number;
    /** Default 0.01. */
    significance?: number;
    /** Both halves of the window must grow at least this fraction of its slope. Default 0.6. */
    consistency?: number;
    /** Consecutive fast-path evaluations needed. Default 2. */
    persistence?: number;
  };
  severity?: Partial<SeverityThresholds>;
  /** The time warm-up counts from, ms; default the first reading's time. */
  startTime?: number;
}

/** The detector's view after one evaluation. */
export interface LeakAssessment {
  /** The verdict: `none`, or the severity of the leak. */
  readonly severity: LeakSeverity;
  /** Whether the verdict differs from the previous evaluation's. */
  readonly changed: boolean;
  /** Theil–Sen slope of the deciding window, bytes per hour (0 until there are enough readings). */
  readonly growthBytesPerHour: number;
  /** Mann–Kendall one-sided p-value of the deciding window (1 until there are enough readings). */
  readonly pValue: number;
  /** Hours until the latest reading plus the growth reaches the limit; Infinity when not growing. */
  readonly hoursToExhaustion: number;
  /** The window that decided, ms (0 when none had enough readings). */
  readonly windowMillis: number;
  /** Readings in the deciding window. */
  readonly points: number;
  /** Why the verdict is what it is, for logs and the report. */
  readonly reason: string;
  /** Whether this evaluation looked like a leak (before persistence). */
  readonly candidate: boolean;
  /** Whether the fast path decided. */
  readonly fastPath: boolean;
}

interface Resolved {
  windows: number[];
  minPoints: number;
  minCoverage: number;
  warmupMillis: number;
  significance: number;
  minSlope: number;
  minRiseSigmas: number;
  consistency: number;
  persistence: number;
  persistenceFraction: number;
  fastWindowMillis: number;
  fastMinPoints: number;
  fastMinSlope: number;
  fastSignificance: number;
  fastConsistency: number;
  fastPersistence: number;
  severity: SeverityThresholds;
}

interface Trend {
  windowMillis: number;
  points: number;
  slope: number;
  pValue: number;
  /** Both halves grow (no single level shift, no plateau). */
  consistent: boolean;
  /** The rise over the window in robust residual standard deviations. */
  riseSigmas: number;
}

/** Windows are reduced to at most this many readings (medians of equal time buckets) to bound the O(n²) cost. */
const MAX_POINTS = 120;
/** Each half of a window must show its own upward trend at this level. */
const HALF_SIGNIFICANCE = 0.05;

/**
 * Decides whether one memory series (the post-GC heap floor, or native memory) is leaking: a robust
 * trend (Theil–Sen slope, Mann–Kendall significance with autocorrelation correction) in one of
 * several windows, that holds in both halves of the window and rises well above the noise, and
 * persists over consecutive evaluations, after a warm-up; a fast path reports steep, linear growth
 * sooner. Deterministic: time comes only from the readings and the `now` passed in.
 *
 * @example
 * ```ts
 * const detector = new LeakDetector({ warmupMillis: 60_000 });
 * detector.add(Date.now(), process.memoryUsage().heapUsed);
 * const { severity, growthBytesPerHour } = detector.evaluate(Date.now(), 4 * 2 ** 30);
 * ```
 */
export class LeakDetector {
  readonly #o: Resolved;
  #points: SeriesPoint[] = [];
  #start: number | undefined;
  #positives = 0;
  #streakStart = 0;
  #fastPositives = 0;
  #negatives = 0;
  #severity: LeakSeverity = 'none';

  constructor(options: LeakDetectorOptions = {}) {
    this.#start = options.startTime;
    const fast = options.fastPath ?? {};
    this.#o = {
      windows: [...(options.windowsMillis ?? [30 * 60_000, 2 * HOUR, 6 * HOUR])].sort(
        (a, b) => a - b,
      ),
      minPoints: options.minPoints ?? 12,
      minCoverage: options.minCoverage ?? 0.75,
      warmupMillis: options.warmupMillis ?? 5 * 60_000,
      significance: options.significance ?? 0.001,
      minSlope: (options.minGrowthBytesPerHour ?? MIB) / HOUR,
      minRiseSigmas: options.minRiseSigmas ?? 3,
      consistency: options.consistency ?? 0.25,
      persistence: Math.max(1, options.persistence ?? 3),
      persistenceFraction: options.persistenceFraction ?? 1 / 6,
      fastWindowMillis: fast.windowMillis ?? 5 * 60_000,
      fastMinPoints: fast.minPoints ?? 6,
      fastMinSlope: (fast.minGrowthBytesPerHour ?? 256 * MIB) / HOUR,
      fastSignificance: fast.significance ?? 0.01,
      fastConsistency: fast.consistency ?? 0.6,
      fastPersistence: Math.max(1, fast.persistence ?? 2),
      severity: { ...DEFAULT_SEVERITY_THRESHOLDS, ...options.severity },
    };
  }

  /** The current verdict. */
  get severity(): LeakSeverity {
    return this.#severity;
  }

  /** Adds one reading (time in ms, value in bytes). Readings during warm-up, out of order or non-finite are ignored. */
  add(t: number, v: number): void {
    if (!Number.isFinite(t) || !Number.isFinite(v)) return;
    this.#start ??= t;
    if (t < this.#start + this.#o.warmupMillis) return;
    const last = this.#points[this.#points.length - 1];
    if (last && t <= last.t) return;
    this.#points.push({ t, v });
  }

  /**
   * Evaluates the windows ending at `now`. `limitBytes` is what the series runs into (the heap limit,
   * or the memory available to the process), for the time to exhaustion.
   */
  evaluate(now: number, limitBytes = Number.POSITIVE_INFINITY): LeakAssessment {
    const o = this.#o;
    const longest = o.windows[o.windows.length - 1] ?? 0;
    const cutoff = now - Math.max(longest, o.fastWindowMillis);
    let drop = 0;
    while (drop < this.#points.length && (this.#points[drop] as SeriesPoint).t < cutoff) drop++;
    if (drop > 0) this.#points.splice(0, drop);
    const previous = this.#severity;
    const latest = this.#points[this.#points.length - 1]?.v ?? 0;

    const alpha = o.significance / o.windows.length;
    const trends: Trend[] = [];
    for (const w of o.windows) {
      const inWindow = this.#within(now, w);
      const span = inWindow.length > 1 ? now - (inWindow[0] as SeriesPoint).t : 0;
      if (inWindow.length < o.minPoints || span < o.minCoverage * w) continue;
      trends.push(trend(reduce(inWindow, w, now), w, o.consistency));
    }
    const passes = (t: Trend) =>
      t.pValue < alpha && t.slope >= o.minSlope && t.consistent && t.riseSigmas >= o.minRiseSigmas;
    const passing = trends.filter(passes);

    const fastPoints = this.#within(now, o.fastWindowMillis);
    const fast =
      fastPoints.length >= o.fastMinPoints
        ? trend(fastPoints, o.fastWindowMillis, o.fastConsistency)
        : undefined;
    const fastCandidate =
      fast !== undefined &&
      fast.pValue < o.fastSignificance &&
      fast.slope >= o.fastMinSlope &&
      fast.consistent &&
      fast.riseSigmas >= o.minRiseSigmas;
    this.#fastPositives = fastCandidate ? this.#fastPositives + 1 : 0;

    // The deciding trend: the steepest passing one, else the fast one, else the longest measured.
    const deciding =
      passing.sort((a, b) => b.slope - a.slope)[0] ??
      (fastCandidate ? fast : undefined) ??
      trends[trends.length - 1];
    if (deciding === undefined) {
      return this.#result(previous, undefined, Infinity, 'not enough readings yet', false, false);
    }
    const slope = deciding.slope;
    const hours = slope > 0 ? Math.max(0, limitBytes - latest) / slope / HOUR : Infinity;

    let severity: LeakSeverity = previous;
    let reason: string;
    const candidate = passing.length > 0 || fastCandidate;
    const fastDecides = this.#fastPositives >= o.fastPersistence;
    if (candidate) {
      if (this.#positives === 0) this.#streakStart = now;
      this.#positives++;
      this.#negatives = 0;
      const lasted =
        this.#positives >= o.persistence &&
        now - this.#streakStart >= o.persistenceFraction * deciding.windowMillis;
      if (lasted || fastDecides) {
        severity = classifySeverity(slope * HOUR, hours, o.severity);
        reason =
          passing.length > 0
            ? `significant, sustained growth over ${minutes(deciding.windowMillis)} for ${this.#positives} evaluations`
            : `steep linear growth over ${minutes(deciding.windowMillis)} (fast path)`;
      } else {
        reason = `growth seen in ${this.#positives} consecutive evaluations; waiting for it to persist`;
      }
    } else {
      if (this.#negatives === 0) this.#streakStart = now;
      this.#negatives++;
      this.#positives = 0;
      // Clearing needs the same persistence as reporting, so a verdict does not flap.
      const shortest = o.windows[0] ?? 0;
      if (
        previous !== 'none' &&
        this.#negatives >= o.persistence &&
        now - this.#streakStart >= o.persistenceFraction * shortest
      )
        severity = 'none';
      reason = explain(deciding, alpha, o);
    }
    this.#severity = severity;
    return this.#result(
      previous,
      deciding,
      severity === 'none' && slope <= 0 ? Infinity : hours,
      reason,
      candidate,
      fastDecides && passing.length === 0,
    );
  }

  #within(now: number, windowMillis: number): SeriesPoint[] {
    const from = now - windowMillis;
    let i = this.#points.length;
    while (i > 0 && (this.#points[i - 1] as SeriesPoint).t >= from) i--;
    return this.#points.slice(i);
  }

  #result(
    previous: LeakSeverity,
    deciding: Trend | undefined,
    hoursToExhaustion: number,
    reason: string,
    candidate: boolean,
    fastPath: boolean,
  ): LeakAssessment {
    return {
      severity: this.#severity,
      changed: this.#severity !== previous,
      growthBytesPerHour: (deciding?.slope ?? 0) * HOUR,
      pValue: deciding?.pValue ?? 1,
      hoursToExhaustion,
      windowMillis: deciding?.windowMillis ?? 0,
      points: deciding?.points ?? 0,
      reason,
      candidate,
      fastPath,
    };
  }
}

function explain(t: Trend, alpha: number, o: Resolved): string {
  if (!(t.pValue < alpha)) return `no significant upward trend (p=${t.pValue.toPrecision(2)})`;
  if (t.slope < o.minSlope) return 'growth below the minimum rate';
  if (!t.consistent) return 'growth not sustained across the window (a level shift or a plateau)';
  return `growth within the noise (${t.riseSigmas.toFixed(1)} sigma)`;
}

function minutes(ms: number): string {
  if (ms >= HOUR) return `${(ms / HOUR).toFixed(ms % HOUR ? 1 : 0)} h`;
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/** At most MAX_POINTS readings: the median time and value of equal time buckets. */
function reduce(points: SeriesPoint[], windowMillis: number, now: number): SeriesPoint[] {
  if (points.length <= MAX_POINTS) return points;
  const from = now - windowMillis;
  const width = windowMillis / MAX_POINTS;
  const buckets: SeriesPoint[][] = [];
  for (const p of points) {
    const i = Math.min(MAX_POINTS - 1, Math.floor((p.t - from) / width));
    const bucket = buckets[i];
    if (bucket) bucket.push(p);
    else buckets[i] = [p];
  }
  const reduced: SeriesPoint[] = [];
  for (const bucket of buckets) {
    if (!bucket) continue;
    reduced.push({ t: median(bucket.map((p) => p.t)), v: median(bucket.map((p) => p.v)) });
  }
  return reduced;
}

/** The trend over the points, whether each half grows too, and how far the rise stands above the noise. */
function trend(points: readonly SeriesPoint[], windowMillis: number, consistency: number): Trend {
  const slope = theilSenSlope(points);
  const { pValue } = mannKendall(points, slope);
  const first = points[0] as SeriesPoint;
  const last = points[points.length - 1] as SeriesPoint;
  const mid = (first.t + last.t) / 2;
  const early = points.filter((p) => p.t <= mid);
  const late = points.filter((p) => p.t > mid);
  const consistent =
    early.length >= 3 &&
    late.length >= 3 &&
    slope > 0 &&
    halfGrows(early, consistency * slope) &&
    halfGrows(late, consistency * slope);
  // Robust noise: 1.4826 × the median absolute residual around the Theil–Sen line.
  const intercept = median(points.map((p) => p.v - slope * (p.t - first.t)));
  const sigma =
    1.4826 * median(points.map((p) => Math.abs(p.v - intercept - slope * (p.t - first.t))));
  const rise = slope * (last.t - first.t);
  const riseSigmas = sigma > 0 ? rise / sigma : rise > 0 ? Infinity : 0;
  return { windowMillis, points: points.length, slope, pValue, consistent, riseSigmas };
}

/**
 * A half window grows: its own slope is at least `minSlope` and, when it has enough readings for the
 * test to reach 5 % at all (5 or more), its own upward trend is significant at 5 %.
 */
function halfGrows(points: readonly SeriesPoint[], minSlope: number): boolean {
  const slope = theilSenSlope(points);
  if (slope < minSlope) return false;
  return points.length < 5 || mannKendall(points, slope).pValue < HALF_SIGNIFICANCE;
}
