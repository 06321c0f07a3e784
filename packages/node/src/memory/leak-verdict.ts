import type { LeakSeverity } from './leak-severity.js';

/** The memory series the monitor watches. */
export const POOLS = ['heap', 'native', 'external'] as const;
/**
 * `heap`: the post-GC heap floor. `native`: RSS minus the V8 heap's resident pages (allocator, code, thread stacks, native
 * addons). `external`: external plus ArrayBuffer memory after major GCs (Buffers and the like).
 */
export type MemoryPool = (typeof POOLS)[number];

/** A change of verdict for one pool, handed to the callback and recorded as a log and a span event. */
export interface LeakVerdict {
  pool: MemoryPool;
  severity: LeakSeverity;
  previousSeverity: LeakSeverity;
  /** Theil–Sen growth, bytes per hour. */
  growthBytesPerHour: number;
  /** Hours until the limit (heap limit, or the memory available to the process); Infinity if not growing. */
  hoursToExhaustion: number;
  /** Mann–Kendall p-value of the deciding window. */
  pValue: number;
  /** The window that decided, ms. */
  windowMillis: number;
  /** Whether the steep-leak fast path decided. */
  fastPath: boolean;
  reason: string;
  /** When, ms since the epoch (from the monitor's clock). */
  time: number;
}

/** Receives every change of verdict. Must not throw (if it does, the error is reported through `diag`). */
export type LeakVerdictListener = (verdict: LeakVerdict) => void;
