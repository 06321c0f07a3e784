/** Where the viewer keeps its database: `--data-dir`, else `$XDG_STATE_HOME/sightline`, else `~/.local/state/sightline`. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The default data directory for the viewer's store.
 *
 * @example
 * defaultDataDir({ XDG_STATE_HOME: '/tmp/state' }); // '/tmp/state/sightline'
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.trim();
  return join(state ? state : join(homedir(), '.local', 'state'), 'sightline');
}

export const DATABASE_FILE = 'viewer.duckdb';
