import { diag } from '@opentelemetry/api';

const seen = new Set<string>();
const MAX_KEYS = 1000;

/**
 * Reports a misuse through the diagnostic logger once per `key`, so a bad call in a hot loop costs
 * one warning, not one per call. The set is bounded: past `MAX_KEYS` distinct keys nothing more is
 * remembered or logged.
 */
export function warnOnce(key: string, message: string): void {
  if (seen.has(key) || seen.size >= MAX_KEYS) return;
  seen.add(key);
  diag.warn(`sightline: ${message}`);
}
