import { Session } from 'node:inspector';
import { diag } from '@opentelemetry/api';
import { componentOfFrame } from './component-context.js';
import { SIZE_CLASSES, type SizeClass, sizeClassOf } from './size-classes.js';

/** One allocation site: the function that allocated, where it is, and its estimated bytes. */
export interface AllocationSite {
  functionName: string;
  /** Script URL or path; '' for native and built-in code. */
  file: string;
  /** 1-based, as editors count; 0 when unknown. */
  line: number;
  column: number;
  /** Estimated bytes allocated (V8 scales each sample by its sampling probability). */
  bytes: number;
  samples: number;
}

/** What the profiler has seen since it started. */
export interface AllocationTotals {
  /** Estimated bytes allocated in all sampled windows. */
  totalBytes: number;
  samples: number;
  /** Sites by estimated bytes, largest first (at most `maxSites`). */
  sites: AllocationSite[];
  sizeClasses: Record<SizeClass, { bytes: number; samples: number }>;
  /** Estimated bytes per component label (see `withComponent`); unlabelled code is not listed. */
  components: Record<string, number>;
  /** Time covered by sampling, ms. */
  sampledMillis: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  id: number;
  children: ProfileNode[];
}
interface SamplingProfile {
  head: ProfileNode;
  samples: { size: number; nodeId: number; ordinal: number }[];
}

export interface AllocationProfilerOptions {
  /** Mean bytes between samples. Default 512 KiB. */
  samplingIntervalBytes?: number;
  /** Distinct sites kept in memory; the rest are merged into `(other)`. Default 5000. */
  maxSites?: number;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

/**
 * Allocation attribution with V8's sampling heap profiler, through an in-process `node:inspector`
 * session. V8 samples one allocation per `samplingIntervalBytes` on average (Poisson), recording its
 * stack; objects collected by GC are kept in the profile so it describes the allocation flow, not only
 * what is live. `collect()` takes the profile and restarts sampling, so memory stays bounded; note that
 * V8 runs a full GC for every read of the profile through the inspector.
 *
 * @example
 * ```ts
 * const profiler = new AllocationProfiler({ samplingIntervalBytes: 64 * 1024 });
 * profiler.start();
 * runWorkload();
 * profiler.collect();
 * console.log(profiler.totals().sites.slice(0, 5));
 * profiler.stop();
 * ```
 */
export class AllocationProfiler {
  readonly #interval: number;
  readonly #maxSites: number;
  readonly #clock: () => number;
  #session: Session | undefined;
  #windowStart = 0;
  #sampledMillis = 0;
  readonly #sites = new Map<string, AllocationSite>();
  readonly #components = new Map<string, number>();
  readonly #classes = Object.fromEntries(
    SIZE_CLASSES.map((c) => [c.name, { bytes: 0, samples: 0 }]),
  ) as Record<SizeClass, { bytes: number; samples: number }>;
  #totalBytes = 0;
  #samples = 0;

  constructor(options: AllocationProfilerOptions = {}) {
    this.#interval = options.samplingIntervalBytes ?? 512 * 1024;
    this.#maxSites = options.maxSites ?? 5000;
    this.#clock = options.clock ?? Date.now;
  }

  get samplingIntervalBytes(): number {
    return this.#interval;
  }

  /** Whether sampling is running. */
  get running(): boolean {
    return this.#session !== undefined;
  }

  /** Starts sampling. Returns false (and reports through `diag`) when the inspector is unavailable. */
  start(): boolean {
    if (this.#session) return true;
    try {
      const session = new Session();
      session.connect();
      this.#session = session;
      this.#startSampling();
      return true;
    } catch (error) {
      this.#session = undefined;
      diag.warn(
        `sightline: allocation profiler unavailable: ${(error as Error)?.message ?? error}`,
      );
      return false;
    }
  }

  /** Takes the samples of the current window into the totals and starts a new window. Never throws. */
  collect(): void {
    const session = this.#session;
    if (!session) return;
    try {
      const profile = this.#post<{ profile: SamplingProfile }>(
        'HeapProfiler.stopSampling',
      )?.profile;
      this.#sampledMillis += this.#clock() - this.#windowStart;
      if (profile) this.#merge(profile);
      this.#startSampling();
    } catch (error) {
      diag.warn(`sightline: allocation profile collection failed: ${(error as Error)?.message}`);
    }
  }

  /** The totals so far (call `collect()` first to include the current window). */
  totals(): AllocationTotals {
    return {
      totalBytes: this.#totalBytes,
      samples: this.#samples,
      sites: [...this.#sites.values()].sort((a, b) => b.bytes - a.bytes),
      sizeClasses: structuredClone(this.#classes),
      components: Object.fromEntries([...this.#components].sort((a, b) => b[1] - a[1])),
      sampledMillis: this.#sampledMillis,
    };
  }

  /** Stops sampling and disconnects the session. */
  stop(): void {
    const session = this.#session;
    if (!session) return;
    this.collect();
    try {
      this.#post('HeapProfiler.stopSampling');
    } catch {
      // Already stopped.
    }
    session.disconnect();
    this.#session = undefined;
  }

  #startSampling(): void {
    this.#post('HeapProfiler.startSampling', {
      samplingInterval: this.#interval,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    this.#windowStart = this.#clock();
  }

  /** In-process sessions answer synchronously; the result is returned directly. */
  #post<T>(method: string, params?: object): T | undefined {
    let result: T | undefined;
    let failure: Error | null = null;
    (this.#session as Session).post(
      method as 'HeapProfiler.stopSampling',
      params ?? {},
      (error, value) => {
        failure = error;
        result = value as T;
      },
    );
    if (failure) throw failure;
    return result;
  }

  #merge(profile: SamplingProfile): void {
    const samplesOf = new Map<number, number>();
    for (const sample of profile.samples)
      samplesOf.set(sample.nodeId, (samplesOf.get(sample.nodeId) ?? 0) + 1);
    const stack: [ProfileNode, string | undefined][] = [[profile.head, undefined]];
    while (stack.length > 0) {
      const [node, inherited] = stack.pop() as [ProfileNode, string | undefined];
      const component = componentOfFrame(node.callFrame.functionName) ?? inherited;
      if (node.selfSize > 0) this.#addSite(node, samplesOf.get(node.id) ?? 0);
      if (component !== undefined && node.selfSize > 0)
        this.#components.set(component, (this.#components.get(component) ?? 0) + node.selfSize);
      for (const child of node.children) stack.push([child, component]);
    }
    for (const sample of profile.samples) {
      // V8 reports each sample already scaled to the bytes it stands for: s / (1 - e^(-s/interval))
      // for an object of s bytes. The size class needs s itself.
      const bytes = sample.size;
      const c = this.#classes[sizeClassOf(objectSize(bytes, this.#interval))];
      c.bytes += bytes;
      c.samples++;
      this.#totalBytes += bytes;
      this.#samples++;
    }
  }

  #addSite(node: ProfileNode, samples: number): void {
    const frame = node.callFrame;
    let key = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
    let site = this.#sites.get(key);
    if (!site && this.#sites.size >= this.#maxSites) {
      key = '(other)';
      site = this.#sites.get(key);
    }
    if (!site) {
      site =
        key === '(other)'
          ? { functionName: '(other)', file: '', line: 0, column: 0, bytes: 0, samples: 0 }
          : {
              functionName: frame.functionName || '(anonymous)',
              file: frame.url,
              line: frame.lineNumber + 1,
              column: frame.columnNumber + 1,
              bytes: 0,
              samples: 0,
            };
      this.#sites.set(key, site);
    }
    site.bytes += node.selfSize;
    site.samples += samples;
  }
}

/**
 * Inverts V8's sample scaling R = s / (1 - e^(-s/r)) for the object size s (bisection; R ≥ r).
 *
 * @example
 * ```ts
 * objectSize(8208, 8192); // ≈ 32: a 32-byte object sampled at an 8 KiB interval
 * ```
 */
export function objectSize(scaled: number, interval: number): number {
  if (scaled <= interval) return 0;
  let lo = 0;
  let hi = scaled;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    const r = mid / -Math.expm1(-mid / interval);
    if (r < scaled) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
