/**
 * The short names of every instrumentation Sightline can enable, as
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS` and the
 * `instrumentations.enabled` / `.disabled` options spell them (the names
 * `@opentelemetry/auto-instrumentations-node` uses, without the `@opentelemetry/instrumentation-`
 * prefix). Kept apart from the registry so the settings table can name them without loading any
 * instrumentation.
 */
export const INSTRUMENTATION_NAMES = [
  'http',
  'undici',
  'express',
  'fastify',
  'pg',
  'redis',
  'ioredis',
  'pino',
  'winston',
] as const;

export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

export function isInstrumentationName(name: string): name is InstrumentationName {
  return (INSTRUMENTATION_NAMES as readonly string[]).includes(name);
}
