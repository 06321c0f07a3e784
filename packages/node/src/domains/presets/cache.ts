import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const common = {
  key: 'string',
  name: 'string',
  system: { type: 'string', key: 'db.system.name' },
  serverAddress: { type: 'string', key: 'server.address' },
} as const;

/**
 * A cache client: get (record the outcome with `hit`), set and delete, as CLIENT spans. The cache
 * server uses `db.system.name` (e.g. `redis`) and `server.address`; the rest is `cache.*`. Keys
 * can hold personal data: pass `key` only if that is acceptable.
 *
 * @example
 * ```ts
 * const user = await cacheSpans.get({ name: 'users', system: 'redis' }, async (span) => {
 *   const value = await redis.get(`user:${id}`);
 *   cacheSpans.get.setAttributes(span, { hit: value !== null });
 *   return value;
 * });
 * ```
 */
export const cacheSpans = defineSpanFamily('cache', {
  get: { kind: SpanKind.CLIENT, attributes: { ...common, hit: 'bool', itemBytes: 'int' } },
  set: {
    kind: SpanKind.CLIENT,
    attributes: { ...common, ttlSeconds: 'double', itemBytes: 'int' },
  },
  delete: { kind: SpanKind.CLIENT, attributes: { ...common, deleted: 'bool' } },
});
