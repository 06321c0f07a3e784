/**
 * `startViewer` from `@sightline/viewer`, loaded at run time. CI type-checks every workspace before
 * it builds any (`.ci/run`), so the viewer's `.d.ts` files do not exist yet when this package is
 * checked; the few members the UI tests use are declared here instead.
 */

export interface ViewerHandle {
  readonly httpUrl: string;
  readonly runId: number;
  close(): Promise<void>;
}

export interface ViewerStartOptions {
  httpPort?: number;
  grpcPort?: number | false;
  dataDir: string;
  uiDir?: string;
  runName?: string;
}

/**
 * @example
 * const viewer = await startViewer({ httpPort: 0, grpcPort: false, dataDir });
 */
export async function startViewer(options: ViewerStartOptions): Promise<ViewerHandle> {
  const specifier = '@sightline/viewer';
  const viewer = (await import(specifier)) as {
    startViewer(options: ViewerStartOptions): Promise<ViewerHandle>;
  };
  return viewer.startViewer(options);
}
