/**
 * Deterministic synthetic memory series for the leak detector's tests and for the false-positive /
 * detection-time study in bench/memory. Each generator returns the post-GC readings a process would
 * give the detector: `{ t, v }` in ms and bytes, one per reading interval (or fewer, when major GCs are
 * rarer than readings).
 */
import type { SeriesPoint } from '../../src/memory/trend-statistics.js';

export const MB = 1_000_000;
export const MIB = 1024 * 1024;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A seeded PRNG (mulberry32) with a Gaussian helper, so that every series is reproducible. */
export function createRandom(seed: number): { next(): number; gauss(): number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    gauss() {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

export interface SeriesSpec {
  /** How long, ms. */
  durationMillis: number;
  /** Reading interval, ms. */
  intervalMillis: number;
  /** The floor the series starts from, bytes. */
  base?: number;
  /** Standard deviation of the reading noise, bytes. */
  noise?: number;
  /** AR(1) coefficient of the noise (0: independent readings). */
  phi?: number;
  /** Linear growth, bytes per hour. */
  leakBytesPerHour?: number;
  /** One step up of `stepBytes` at `stepAt` ms. */
  stepAt?: number;
  stepBytes?: number;
  /** A warm-up ramp: the floor rises by `warmupBytes` along a logistic curve centred at `warmupAt` ms. */
  warmupBytes?: number;
  warmupAt?: number;
  /** Probability that a reading interval contains a major GC (a reading); default 1. */
  gcProbability?: number;
  seed: number;
}

/** The post-GC readings of one synthetic process. */
export function syntheticSeries(spec: SeriesSpec): SeriesPoint[] {
  const random = createRandom(spec.seed);
  const base = spec.base ?? 60 * MIB;
  const noise = spec.noise ?? 1 * MIB;
  const phi = spec.phi ?? 0;
  const innovation = noise * Math.sqrt(1 - phi * phi);
  let ar = noise * random.gauss();
  const points: SeriesPoint[] = [];
  for (let t = spec.intervalMillis; t <= spec.durationMillis; t += spec.intervalMillis) {
    ar = phi * ar + innovation * random.gauss();
    if (random.next() >= (spec.gcProbability ?? 1)) continue;
    let v = base + ar + ((spec.leakBytesPerHour ?? 0) * t) / HOUR;
    if (spec.stepAt !== undefined && t >= spec.stepAt) v += spec.stepBytes ?? 0;
    if (spec.warmupBytes !== undefined) {
      const centre = spec.warmupAt ?? 3 * MINUTE;
      v += spec.warmupBytes / (1 + Math.exp(-(t - centre) / (centre / 5)));
    }
    points.push({ t, v: Math.max(0, v) });
  }
  return points;
}

/**
 * A GC sawtooth: the heap grows by `garbageBytesPerSecond` between major GCs that come every 20-90 s;
 * each GC brings it back to the floor plus a little survivor noise. Only the post-GC values are
 * readings (the lowest per reading interval), which is what the memory monitor feeds the detector.
 */
export function sawtoothSeries(
  seed: number,
  durationMillis: number,
  intervalMillis: number,
  garbageBytesPerSecond = 2 * MIB,
): SeriesPoint[] {
  const random = createRandom(seed);
  const base = 80 * MIB;
  const points: SeriesPoint[] = [];
  let nextGc = 20_000 + random.next() * 70_000;
  let lastGc = 0;
  let pending: number | undefined;
  let nextReading = intervalMillis;
  for (let t = 1000; t <= durationMillis; t += 1000) {
    if (t >= nextGc) {
      // Survivors: up to 2 % of what was allocated since the last GC is still live at this GC.
      const allocated = ((t - lastGc) / 1000) * garbageBytesPerSecond;
      const after = base + random.next() * 0.02 * allocated + 0.3 * MIB * random.gauss();
      pending = pending === undefined ? after : Math.min(pending, after);
      lastGc = t;
      nextGc = t + 20_000 + random.next() * 70_000;
    }
    if (t >= nextReading) {
      if (pending !== undefined) points.push({ t, v: pending });
      pending = undefined;
      nextReading += intervalMillis;
    }
  }
  return points;
}

/** What running the detector over a series found. */
export interface DetectorRun {
  /** When the first non-`none` verdict came, ms after the start; undefined if never. */
  detectedAt: number | undefined;
  /** The verdict at the end of the series. */
  finalSeverity: string;
  /** Verdict changes over the run. */
  changes: number;
}

/**
 * Feeds the readings to a detector in time order and evaluates at every reading time, the way the
 * monitor does at every interval.
 */
export function runDetector(
  points: readonly SeriesPoint[],
  detector: {
    add(t: number, v: number): void;
    evaluate(now: number, limit?: number): { severity: string; changed: boolean };
  },
  limitBytes = 4 * 1024 * MIB,
): DetectorRun {
  let detectedAt: number | undefined;
  let changes = 0;
  let severity = 'none';
  for (const p of points) {
    detector.add(p.t, p.v);
    const result = detector.evaluate(p.t, limitBytes);
    severity = result.severity;
    if (result.changed) changes++;
    if (detectedAt === undefined && severity !== 'none') detectedAt = p.t;
  }
  return { detectedAt, finalSeverity: severity, changes };
}
