import { diag } from '@opentelemetry/api';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { VERSION } from '../../version.js';
import { enableContrib } from '../contrib-instrumentation.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';
import { type PgPoolConnect, type PoolCounters, withPoolCounts } from './pg-pool-counts.js';
import { type PgQuery, withTransactions } from './pg-transactions.js';
import { sanitizeSql } from './sanitize-sql.js';
import { createSlowQueryWatch } from './slow-query.js';

const SCOPE = '@sightline/node/pg';

/** The two patch factories of the contrib instrumentation that Sightline wraps (pinned version). */
interface PatchFactories extends PoolCounters {
  _getClientQueryPatch?: () => (original: PgQuery) => PgQuery;
  _getPoolConnectPatch?: () => (original: PgPoolConnect) => PgPoolConnect;
}

/**
 * `pg` (and `pg-pool`): `@opentelemetry/instrumentation-pg` for query and connect spans,
 * `db.client.operation.duration` and the pool metrics, plus what it lacks:
 * - `db.query.text` sanitised (every literal becomes `?`) before anything can export it;
 * - slow queries (`instrumentations.db.slowQueryThresholdMillis`): a span event and a counter;
 * - one `pg.transaction` span from BEGIN to COMMIT/ROLLBACK, parent of the queries inside;
 * - pending pool requests counted as soon as they queue (pool exhaustion).
 */
export const createPgInstrumentation: InstrumentationFactory = (context) => {
  const meter = context.meterProvider.getMeter(SCOPE, VERSION);
  const tracer = context.tracerProvider.getTracer(SCOPE, VERSION);
  const slow = createSlowQueryWatch(
    meter,
    context.config.instrumentations.db.slowQueryThresholdMillis,
  );
  const pg = new PgInstrumentation({
    enabled: false,
    requestHook(span, { query, connection }) {
      const text = typeof query.text === 'string' ? query.text : '';
      // Overwrites the raw text the contrib instrumentation set a moment ago, before the span ends.
      span.setAttribute('db.query.text', sanitizeSql(text));
      slow.watch(span, {
        'db.system.name': 'postgresql',
        'db.operation.name': operationName(text),
        ...(connection.database ? { 'db.namespace': connection.database } : {}),
      });
    },
  });
  const patches = pg as unknown as PatchFactories;
  const queryPatch = patches._getClientQueryPatch?.bind(pg);
  const connectPatch = patches._getPoolConnectPatch?.bind(pg);
  if (queryPatch && connectPatch) {
    patches._getClientQueryPatch = () => (original) =>
      withTransactions(queryPatch()(original), tracer);
    patches._getPoolConnectPatch = () => (original) =>
      withPoolCounts(connectPatch()(original), patches);
  } else {
    diag.warn(
      'sightline: this @opentelemetry/instrumentation-pg has no patch factories to wrap; transaction spans and early pending counts are off',
    );
  }
  return enableContrib(pg, context);
};

function operationName(text: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(text);
  return match ? (match[1] as string).toUpperCase() : 'unknown';
}
