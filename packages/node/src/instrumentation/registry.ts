import {
  createIoredisInstrumentation,
  createRedisInstrumentation,
} from './cache/redis-instrumentation.js';
import { createPgInstrumentation } from './db/pg-instrumentation.js';
import { createExpressInstrumentation } from './frameworks/express-instrumentation.js';
import { createFastifyRouteNaming } from './frameworks/fastify-route.js';
import { createHttpInstrumentation, createUndiciInstrumentation } from './http/http-entries.js';
import type { InstrumentationFactory } from './instrumentation-context.js';
import { createPinoEntry, createWinstonEntry } from './logs/log-entries.js';
import type { InstrumentationName } from './names.js';

/**
 * THE table of instrumentations: short name (`names.ts`, as `OTEL_NODE_ENABLED_INSTRUMENTATIONS`
 * spells it) → factory. `init()` and `--import @sightline/node/register` call the factory of every
 * selected name, in this order, and disable each at shutdown. A name listed in `names.ts` without
 * an entry here is accepted but does nothing yet.
 *
 * Adding one: put its name in `INSTRUMENTATION_NAMES`, write an `InstrumentationFactory` (one file,
 * in the folder of its area) and add it here; contrib instrumentations go through `enableContrib`.
 */
export const INSTRUMENTATIONS: { readonly [N in InstrumentationName]?: InstrumentationFactory } = {
  // HTTP through diagnostics_channel (DESIGN D2).
  http: createHttpInstrumentation,
  undici: createUndiciInstrumentation,
  // Web frameworks: route names on the HTTP server span.
  express: createExpressInstrumentation,
  fastify: createFastifyRouteNaming,
  // Data layer: official contrib instrumentations plus Sightline's additions.
  pg: createPgInstrumentation,
  redis: createRedisInstrumentation,
  ioredis: createIoredisInstrumentation,
  // Log correlation and the OTLP log bridge.
  pino: createPinoEntry,
  winston: createWinstonEntry,
};
