import { totalmem } from 'node:os';
import { constrainedMemory, memoryUsage } from 'node:process';
import { getHeapSpaceStatistics, getHeapStatistics, type HeapSpaceInfo } from 'node:v8';

/** One reading of the process's memory, bytes. */
export interface MemoryReading {
  /** Resident set size. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Heap pages actually backed by physical memory (`total_physical_size`): the heap's share of RSS. */
  heapPhysical: number;
  /** Memory of C++ objects bound to JS objects (Buffers outside the heap and the like). */
  external: number;
  arrayBuffers: number;
  /** V8's `heap_size_limit`: where the heap runs out. */
  heapLimit: number;
}

/**
 * Where the monitor gets its readings. The default reads the real process; tests inject their own to
 * drive the monitor deterministically.
 */
export interface MemorySampleSource {
  read(): MemoryReading;
  /** Memory the process may use before it is killed: the cgroup limit, else the machine's RAM. */
  availableMemory(): number;
  /** Per-space heap statistics, for the `v8js.memory.heap.*` metrics. */
  heapSpaces(): HeapSpaceInfo[];
}

/** The real process. */
export const processSampleSource: MemorySampleSource = {
  read() {
    const usage = memoryUsage();
    const heap = getHeapStatistics();
    return {
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      heapPhysical: heap.total_physical_size,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      heapLimit: heap.heap_size_limit,
    };
  },
  availableMemory() {
    const machine = totalmem();
    const constrained = constrainedMemory();
    // 0 or a huge value (2^64 - 1) means no cgroup limit.
    return constrained > 0 && constrained < machine ? constrained : machine;
  },
  heapSpaces: () => getHeapSpaceStatistics(),
};
