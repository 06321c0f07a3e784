import { SETTINGS } from './settings.js';

/**
 * Every environment variable Sightline reads, from the settings table plus `SIGHTLINE_CONFIG`:
 * what `sightline doctor` checks a process environment against to name unknown (mistyped)
 * variables.
 *
 * @example
 * ```ts
 * import { environmentVariables } from '@sightline/node';
 * const known = new Set(environmentVariables());
 * const unknown = Object.keys(process.env).filter((k) => k.startsWith('OTEL_') && !known.has(k));
 * ```
 */
export function environmentVariables(): string[] {
  const names = SETTINGS.flatMap((setting) => (setting.env ? [setting.env] : []));
  return [...new Set([...names, 'SIGHTLINE_CONFIG'])].sort();
}
