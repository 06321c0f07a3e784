/** Starts a real viewer on ephemeral ports with a temporary data directory, plus small HTTP helpers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, startViewer, type Viewer, type ViewerOptions } from '../../src/index.js';

export interface Fixture {
  viewer: Viewer;
  dataDir: string;
  /** GET a JSON API path; throws with the body on non-2xx unless `expectStatus` is given. */
  api<T = Record<string, unknown>>(
    path: string,
    init?: RequestInit & { expectStatus?: number },
  ): Promise<T>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

export function tempDataDir(prefix = 'sightline-viewer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startFixture(options: ViewerOptions = {}): Promise<Fixture> {
  const dataDir = options.dataDir ?? tempDataDir();
  const viewer = await startViewer({ httpPort: 0, grpcPort: 0, dataDir, ...options });
  return {
    viewer,
    dataDir,
    async api<T>(path: string, init: RequestInit & { expectStatus?: number } = {}): Promise<T> {
      const res = await fetch(`${viewer.httpUrl}${path}`, init);
      const text = await res.text();
      const expected = init.expectStatus ?? 200;
      if (res.status !== expected)
        throw new Error(`GET ${path}: status ${res.status} (expected ${expected}): ${text}`);
      return JSON.parse(text) as T;
    },
    async close({ keepData = false } = {}) {
      await viewer.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** hrtime [seconds, nanos] → decimal string of nanoseconds. */
export function hrToNs(t: [number, number]): string {
  return String(BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]));
}

/** How many spans of the trace the store holds (committed data only). */
export async function storedSpanCount(store: Store, traceId: string): Promise<number> {
  const rows = await store.query('SELECT count(*)::INTEGER AS n FROM spans WHERE trace_id = $1', [
    traceId,
  ]);
  return Number(rows[0]?.n);
}
