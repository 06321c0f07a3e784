/** What a pattern scope saw, returned by `end()`. */
export interface PatternSummary {
  /** The name given to `arena.pattern(name)`. */
  name: string;
  /** Successful allocations while the scope was open. */
  allocations: number;
  /** Bytes they requested. */
  bytes: number;
  /**
   * 8 hex digits: FNV-1a over the (bucket, count) pairs of the size histogram, so the same mix of
   * sizes gives the same fingerprint from run to run.
   */
  fingerprint: string;
  /** Power-of-two size buckets, `upper bound:count` pairs such as `"16:3,64:1"` (sizes 9-16: 3, 33-64: 1). */
  histogram: string;
  /** The fingerprint differs from the previous scope of the same name on the same arena. */
  changed: boolean;
  /** The previous scope's fingerprint, when `changed`. */
  previousFingerprint: string | undefined;
}

/**
 * An open pattern scope (see `Arena.pattern()`); end it with `end()` or with `using`.
 *
 * @example
 * ```ts
 * const scope = arena.pattern('decode-frame');
 * decode(arena, frame);
 * const summary = scope.end(); // { allocations, bytes, fingerprint, changed, … }
 * ```
 */
export interface PatternScope extends Disposable {
  readonly name: string;
  /** Ends the scope (once) and returns its summary; undefined for a no-op scope or a second call. */
  end(): PatternSummary | undefined;
}

const BUCKETS = 33;

/** The power-of-two bucket of a size: 0 for 1 byte, b for sizes 2^(b-1)+1 to 2^b. */
export function sizeBucket(size: number): number {
  return size <= 1 ? 0 : 32 - Math.clz32(size - 1);
}

/** @internal The recording side of a scope: the arena's telemetry feeds it every allocation. */
export class ActivePattern implements PatternScope {
  readonly name: string;
  allocations = 0;
  bytes = 0;
  readonly counts = new Uint32Array(BUCKETS);
  private ended = false;
  private readonly onEnd: (scope: ActivePattern) => PatternSummary;

  constructor(name: string, onEnd: (scope: ActivePattern) => PatternSummary) {
    this.name = name;
    this.onEnd = onEnd;
  }

  record(size: number): void {
    this.allocations++;
    this.bytes += size;
    const bucket = size <= 1 ? 0 : 32 - Math.clz32(size - 1);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
  }

  /** FNV-1a (32 bit) over each non-empty bucket's index and count. */
  fingerprint(): string {
    let hash = 0x811c9dc5;
    for (let b = 0; b < BUCKETS; b++) {
      const count = this.counts[b] ?? 0;
      if (count === 0) continue;
      for (const byte of [
        b,
        count & 0xff,
        (count >>> 8) & 0xff,
        (count >>> 16) & 0xff,
        count >>> 24,
      ]) {
        hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
      }
    }
    return hash.toString(16).padStart(8, '0');
  }

  histogram(): string {
    const parts: string[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      const count = this.counts[b] ?? 0;
      if (count > 0) parts.push(`${2 ** b}:${count}`);
    }
    return parts.join(',');
  }

  end(): PatternSummary | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    return this.onEnd(this);
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/** Returned by `arena.pattern()` when the `patterns` flag is off: records nothing. */
export const NOOP_PATTERN: PatternScope = Object.freeze({
  name: '',
  end: () => undefined,
  [Symbol.dispose]: () => {},
});
