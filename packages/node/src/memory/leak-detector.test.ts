import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HOUR,
  MB,
  MIB,
  MINUTE,
  runDetector,
  sawtoothSeries,
  syntheticSeries,
} from '../../test/support/synthetic-memory.js';
import { LeakDetector } from './leak-detector.js';
import { classifySeverity } from './leak-severity.js';

const INTERVAL = 30_000;
const SIX_HOURS = 6 * HOUR;

/** Documented bounds (docs/memory.md) on time to detection with the default settings. */
const DETECTION_BOUNDS: Record<number, number> = {
  5: 150 * MINUTE,
  20: 90 * MINUTE,
  100: 40 * MINUTE,
  500: 15 * MINUTE,
};

describe('leak detector on synthetic series (default settings)', () => {
  it('does not flag a GC sawtooth without a leak', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const run = runDetector(
        sawtoothSeries(seed, SIX_HOURS, INTERVAL, 4 * MIB),
        new LeakDetector(),
      );
      assert.equal(run.detectedAt, undefined, `seed ${seed}`);
    }
  });

  it('does not flag a warm-up plateau', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const points = syntheticSeries({
        durationMillis: SIX_HOURS,
        intervalMillis: INTERVAL,
        warmupBytes: 200 * MIB,
        warmupAt: 3 * MINUTE,
        noise: MIB,
        seed,
      });
      assert.equal(runDetector(points, new LeakDetector()).detectedAt, undefined, `seed ${seed}`);
    }
  });

  it('does not flag a single level shift (a cache filling once)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const points = syntheticSeries({
        durationMillis: SIX_HOURS,
        intervalMillis: INTERVAL,
        stepAt: (1 + seed * 0.7) * HOUR,
        stepBytes: 150 * MIB,
        noise: MIB,
        seed,
      });
      assert.equal(runDetector(points, new LeakDetector()).detectedAt, undefined, `seed ${seed}`);
    }
  });

  it('does not flag a noisy steady state', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const points = syntheticSeries({
        durationMillis: SIX_HOURS,
        intervalMillis: INTERVAL,
        noise: 3 * MIB,
        phi: 0.6,
        seed,
      });
      assert.equal(runDetector(points, new LeakDetector()).detectedAt, undefined, `seed ${seed}`);
    }
  });

  for (const rate of [5, 20, 100, 500]) {
    it(`detects a linear leak of ${rate} MB/h within ${(DETECTION_BOUNDS[rate] as number) / MINUTE} min`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const points = syntheticSeries({
          durationMillis: SIX_HOURS,
          intervalMillis: INTERVAL,
          leakBytesPerHour: rate * MB,
          noise: 1.5 * MIB,
          phi: 0.5,
          seed,
        });
        const run = runDetector(points, new LeakDetector());
        assert.ok(run.detectedAt !== undefined, `seed ${seed}: not detected`);
        assert.ok(
          run.detectedAt <= (DETECTION_BOUNDS[rate] as number),
          `seed ${seed}: detected after ${run.detectedAt / MINUTE} min`,
        );
        assert.notEqual(run.finalSeverity, 'none');
      }
    });
  }

  it('estimates the growth rate and the time to exhaustion', () => {
    const detector = new LeakDetector();
    const points = syntheticSeries({
      durationMillis: 2 * HOUR,
      intervalMillis: INTERVAL,
      leakBytesPerHour: 100 * MB,
      noise: MIB,
      seed: 7,
    });
    let last: ReturnType<LeakDetector['evaluate']> | undefined;
    for (const p of points) {
      detector.add(p.t, p.v);
      last = detector.evaluate(p.t, 1024 * MIB);
    }
    assert.ok(last);
    assert.ok(Math.abs(last.growthBytesPerHour - 100 * MB) < 10 * MB, `${last.growthBytesPerHour}`);
    // 1 GiB limit, ~60 MiB + 200 MB used: about 7.6 h left at 100 MB/h.
    assert.ok(
      last.hoursToExhaustion > 6 && last.hoursToExhaustion < 9,
      `${last.hoursToExhaustion}`,
    );
    assert.equal(last.severity, 'medium');
  });

  it('clears the verdict after the leak stops and the window moves on', () => {
    const leak = syntheticSeries({
      durationMillis: 2 * HOUR,
      intervalMillis: INTERVAL,
      leakBytesPerHour: 500 * MB,
      noise: MIB,
      seed: 3,
    });
    const top = leak[leak.length - 1]?.v ?? 0;
    const flat = syntheticSeries({
      durationMillis: 8 * HOUR,
      intervalMillis: INTERVAL,
      base: top,
      noise: MIB,
      seed: 4,
    }).map((p) => ({ t: p.t + 2 * HOUR, v: p.v }));
    const run = runDetector([...leak, ...flat], new LeakDetector());
    assert.ok(run.detectedAt !== undefined);
    assert.equal(run.finalSeverity, 'none');
  });

  it('takes the fast path for a steep leak', () => {
    const detector = new LeakDetector({ warmupMillis: 0 });
    const points = syntheticSeries({
      durationMillis: 20 * MINUTE,
      intervalMillis: 10_000,
      leakBytesPerHour: 2000 * MB,
      noise: MIB,
      seed: 5,
    });
    let fast = false;
    for (const p of points) {
      detector.add(p.t, p.v);
      const a = detector.evaluate(p.t, 4096 * MIB);
      if (a.severity !== 'none') {
        fast = a.fastPath;
        assert.ok(p.t <= 8 * MINUTE, `detected after ${p.t / MINUTE} min`);
        break;
      }
    }
    assert.equal(fast, true);
  });
});

describe('severity', () => {
  it('ranks by time to exhaustion and growth rate', () => {
    assert.equal(classifySeverity(MIB, 0.5), 'critical');
    assert.equal(classifySeverity(600 * MIB, 1000), 'critical');
    assert.equal(classifySeverity(MIB, 5), 'high');
    assert.equal(classifySeverity(40 * MIB, 30), 'medium');
    assert.equal(classifySeverity(MIB, 1000), 'low');
    assert.equal(
      classifySeverity(MIB, 1000, {
        criticalHoursToExhaustion: 2000,
        criticalBytesPerHour: Infinity,
        highHoursToExhaustion: 0,
        highBytesPerHour: Infinity,
        mediumHoursToExhaustion: 0,
        mediumBytesPerHour: Infinity,
      }),
      'critical',
    );
  });
});
