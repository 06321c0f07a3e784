import { writeHeapSnapshot } from 'node:v8';

/**
 * Writes a V8 heap snapshot, only when asked: it stops the process for the whole walk of the heap
 * (roughly 1-2 s per GiB of heap on this project's machine; see docs/memory.md) and needs memory
 * around the size of the heap again while it writes. Never call it periodically. Returns the file
 * name (`.heapsnapshot`, open it in Chrome DevTools' Memory tab).
 *
 * @example
 * ```ts
 * import { writeHeapSnapshotFile } from '@sightline/node/memory';
 * const file = writeHeapSnapshotFile('/tmp/before-leak.heapsnapshot');
 * ```
 */
export function writeHeapSnapshotFile(path?: string): string {
  return writeHeapSnapshot(path);
}
