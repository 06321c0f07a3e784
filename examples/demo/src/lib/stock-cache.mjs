// The inventory service's cache: Redis when REDIS_URL is set (the ioredis instrumentation that
// `@sightline/node` enables records the spans), otherwise an in-process stand-in with a TTL that
// records the same kind of spans through the `cacheSpans` domain family.
import { cacheSpans } from '@sightline/node/domains';
import { sleep } from './service-runtime.mjs';

const TTL_SECONDS = 5;

/**
 * @typedef {{
 *   kind: 'redis' | 'embedded',
 *   get(key: string): Promise<string | undefined>,
 *   set(key: string, value: string): Promise<void>,
 *   delete(key: string): Promise<void>,
 *   close(): Promise<void>,
 * }} StockCache
 */

/** @returns {Promise<StockCache>} */
export async function openStockCache(redisUrl = process.env.REDIS_URL) {
  return redisUrl ? openRedisCache(redisUrl) : openEmbeddedCache();
}

/** @returns {Promise<StockCache>} */
async function openRedisCache(redisUrl) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  // Keys are namespaced by process so concurrent demo runs never read each other's stock.
  const prefix = `sightline-demo:${process.pid}:`;
  return {
    kind: 'redis',
    async get(key) {
      return (await redis.get(prefix + key)) ?? undefined;
    },
    async set(key, value) {
      await redis.set(prefix + key, value, 'EX', TTL_SECONDS);
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
    async close() {
      await redis.quit();
    },
  };
}

/** @returns {StockCache} */
function openEmbeddedCache() {
  /** @type {Map<string, { value: string, expires: number }>} */
  const entries = new Map();
  const common = { system: 'embedded', name: 'stock' };
  const io = () => sleep(0.2 + Math.random() * 0.5);
  return {
    kind: 'embedded',
    get: (key) =>
      cacheSpans.get({ ...common, key: keyPattern(key) }, async (span) => {
        await io();
        const entry = entries.get(key);
        const hit = entry !== undefined && entry.expires > Date.now();
        cacheSpans.get.setAttributes(span, {
          hit,
          ...(hit ? { itemBytes: Buffer.byteLength(entry.value) } : {}),
        });
        return hit ? entry.value : undefined;
      }),
    set: (key, value) =>
      cacheSpans.set(
        {
          ...common,
          key: keyPattern(key),
          ttlSeconds: TTL_SECONDS,
          itemBytes: Buffer.byteLength(value),
        },
        async () => {
          await io();
          entries.set(key, { value, expires: Date.now() + TTL_SECONDS * 1000 });
        },
      ),
    delete: (key) =>
      cacheSpans.delete({ ...common, key: keyPattern(key) }, async (span) => {
        await io();
        cacheSpans.delete.setAttributes(span, { deleted: entries.delete(key) });
      }),
    close: async () => {},
  };
}

/** `stock:SKU-0042` → `stock:{sku}`: key patterns, never raw keys, in telemetry. */
function keyPattern(key) {
  return key.replace(/:[^:]+$/, ':{sku}');
}
