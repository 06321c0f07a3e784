import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { VERSION } from '../../version.js';
import { enableContrib } from '../contrib-instrumentation.js';
import { createOperationDuration, withOperationDuration } from '../db/operation-duration.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';
import { createCacheReads } from './cache-reads.js';
import { redisStatement } from './redis-statement.js';

/**
 * `ioredis`: `@opentelemetry/instrumentation-ioredis` spans, with `db.query.text` holding key
 * patterns and `?` instead of the contrib's raw keys, plus hit/miss telemetry for reads and
 * `db.client.operation.duration`, which the contrib does not record.
 */
export const createIoredisInstrumentation: InstrumentationFactory = (context) => {
  const { rawKeys } = context.config.instrumentations.redis;
  const meter = context.meterProvider.getMeter('@sightline/node/ioredis', VERSION);
  const reads = createCacheReads(meter, 'redis', rawKeys);
  return enableContrib(
    new IORedisInstrumentation({
      enabled: false,
      // The contrib default (true) would skip, and leave out of the hit/miss counts, every command
      // issued outside a trace (background jobs, warm-up); node-redis records those too.
      requireParentSpan: false,
      dbStatementSerializer: (command, args) => redisStatement(command, args, rawKeys),
      responseHook: (span, command, args, reply) => reads.onReply(span, command, args, reply),
    }),
    context,
    withOperationDuration(context.tracerProvider, createOperationDuration(meter)),
  );
};

/**
 * `redis` (node-redis 4-5 and `@redis/client`): `@opentelemetry/instrumentation-redis` spans, with
 * the same key patterns and hit/miss telemetry as `ioredis`.
 */
export const createRedisInstrumentation: InstrumentationFactory = (context) => {
  const { rawKeys } = context.config.instrumentations.redis;
  const meter = context.meterProvider.getMeter('@sightline/node/redis', VERSION);
  const reads = createCacheReads(meter, 'redis', rawKeys);
  return enableContrib(
    new RedisInstrumentation({
      enabled: false,
      dbStatementSerializer: (command, args) => redisStatement(command, args, rawKeys),
      responseHook: (span, command, args, reply) =>
        reads.onReply(span, String(command), args, reply),
    }),
    context,
    withOperationDuration(context.tracerProvider, createOperationDuration(meter)),
  );
};
