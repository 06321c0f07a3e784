import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';

/** The `@opentelemetry/api` module, as loaded at run time. */
export type Api = typeof OtelApi;

let cached: Api | null | undefined;

/**
 * Loads the optional `@opentelemetry/api` peer once, at setup time (never on an allocation path).
 * Returns null when it is not installed: the arena then keeps counters only. The API keeps its
 * registered providers on `globalThis`, so this copy sees the app's providers whichever module
 * format the app loaded the API in.
 */
export function loadApi(): Api | null {
  if (cached !== undefined) return cached;
  try {
    cached = createRequire(import.meta.url)('@opentelemetry/api') as Api;
  } catch {
    cached = null;
  }
  return cached;
}
