import type { Attributes, Counter, Meter, Span } from '@opentelemetry/api';
import { recordedKey } from './redis-statement.js';

export const CACHE_HITS_METRIC = 'sightline.cache.hits';
export const CACHE_MISSES_METRIC = 'sightline.cache.misses';
export const CACHE_HIT_RATIO_METRIC = 'sightline.cache.hit_ratio';

// Reads of one value, and reads of several (one hit or miss per element of the reply).
const SINGLE_READS = new Set(['GET', 'GETEX', 'GETDEL', 'HGET', 'HGETALL', 'JSON.GET']);
const MULTI_READS = new Set(['MGET', 'HMGET']);
const MAX_PATTERNS = 200;

/** Records the outcome of cache reads on their span and in the hit/miss metrics. */
export interface CacheReads {
  /** Called with the reply of every successful command; only reads are recorded. */
  onReply(span: Span, command: string, args: readonly unknown[], reply: unknown): void;
}

/**
 * Cache-read telemetry for one Redis client library: `cache.hit` (and `cache.key_pattern`) on read
 * spans, the `sightline.cache.hits` / `sightline.cache.misses` counters (by `db.system.name`,
 * `db.operation.name` and `cache.key_pattern`, at most 200 patterns, then `_OTHER`), and the
 * `sightline.cache.hit_ratio` gauge: hits / (hits + misses) since start, per `db.system.name`.
 */
export function createCacheReads(meter: Meter, system: string, rawKeys: boolean): CacheReads {
  const hitsCounter: Counter = meter.createCounter(CACHE_HITS_METRIC, {
    description: 'Cache reads that found their key.',
    unit: '{read}',
  });
  const missesCounter: Counter = meter.createCounter(CACHE_MISSES_METRIC, {
    description: 'Cache reads that did not find their key.',
    unit: '{read}',
  });
  let hits = 0;
  let misses = 0;
  meter
    .createObservableGauge(CACHE_HIT_RATIO_METRIC, {
      description: 'Share of cache reads that were hits since the process started.',
      unit: '1',
    })
    .addCallback((result) => {
      if (hits + misses > 0) result.observe(hits / (hits + misses), { 'db.system.name': system });
    });
  const patterns = new Set<string>();

  return {
    onReply(span, command, args, reply) {
      const name = command.toUpperCase();
      const single = SINGLE_READS.has(name);
      if (!single && !MULTI_READS.has(name)) return;
      let pattern = args.length > 0 ? recordedKey(args[0], rawKeys) : '';
      span.setAttribute('cache.key_pattern', pattern);
      if (!patterns.has(pattern)) {
        if (patterns.size < MAX_PATTERNS) patterns.add(pattern);
        else pattern = '_OTHER';
      }
      const attributes: Attributes = {
        'db.system.name': system,
        'db.operation.name': name,
        'cache.key_pattern': pattern,
      };
      if (single) {
        const hit = !isEmpty(reply);
        span.setAttribute('cache.hit', hit);
        if (hit) {
          hits++;
          hitsCounter.add(1, attributes);
        } else {
          misses++;
          missesCounter.add(1, attributes);
        }
        return;
      }
      const values = Array.isArray(reply) ? reply : [];
      const found = values.filter((v) => !isEmpty(v)).length;
      span.setAttribute('cache.hits', found);
      span.setAttribute('cache.misses', values.length - found);
      hits += found;
      misses += values.length - found;
      if (found > 0) hitsCounter.add(found, attributes);
      if (values.length - found > 0) missesCounter.add(values.length - found, attributes);
    },
  };
}

function isEmpty(reply: unknown): boolean {
  if (reply === null || reply === undefined) return true;
  if (Array.isArray(reply)) return reply.length === 0;
  if (typeof reply === 'object' && !Buffer.isBuffer(reply))
    return Object.keys(reply as object).length === 0;
  return false;
}
