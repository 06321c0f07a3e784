import { fileURLToPath } from 'node:url';

/** Absolute path of a file under deploy/. */
export const deployPath = (relative) =>
  fileURLToPath(new URL(`../../${relative}`, import.meta.url));
/** Absolute path of a file under the repository root. */
export const repoPath = (relative) =>
  fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
