import { diag } from '@opentelemetry/api';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { VERSION } from '../../version.js';
import { enableContrib } from '../contrib-instrumentation.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';
import { type PgPool, PgPoolCounts } from './pg-pool-counts.js';
import { type PgQuery, withTransactions } from './pg-transactions.js';
import { sanitizeDbErrorMessage } from './sanitize-error-message.js';
import { sanitizeSql } from './sanitize-sql.js';
import { createSlowQueryWatch } from './slow-query.js';

const SCOPE = '@sightline/node/pg';

/** The internals of the contrib instrumentation that Sightline wraps or replaces (pinned version). */
interface ContribInternals {
  _getClientQueryPatch?: () => (original: PgQuery) => PgQuery;
  _setPoolConnectEventListeners?: (pool: PgPool) => void;
  _recordPoolMax?: (pool: PgPool) => void;
}

/**
 * `pg` (and `pg-pool`): `@opentelemetry/instrumentation-pg` for query and connect spans,
 * `db.client.operation.duration` and the pool metrics, plus what it lacks:
 * - `db.query.text` sanitised (every literal becomes `?`) before anything can export it, and
 *   quoted values dropped from error messages;
 * - slow queries (`instrumentations.db.slowQueryThresholdMillis`): a span event and a counter;
 * - one `pg.transaction` span from BEGIN to COMMIT/ROLLBACK, parent of the queries inside;
 * - pool counts per pool, read from each pool when metrics are collected (so a request queued on
 *   an exhausted pool shows, and nothing is recorded per checkout).
 */
export const createPgInstrumentation: InstrumentationFactory = (context) => {
  const meter = context.meterProvider.getMeter(SCOPE, VERSION);
  const tracer = context.tracerProvider.getTracer(SCOPE, VERSION);
  const slow = createSlowQueryWatch(
    meter,
    context.config.instrumentations.db.slowQueryThresholdMillis,
  );
  const statements = new StatementCache();
  const pg = new PgInstrumentation({
    enabled: false,
    requestHook(span, { query, connection }) {
      const text = typeof query.text === 'string' ? query.text : '';
      const statement = statements.of(text);
      // Overwrites the raw text the contrib instrumentation set a moment ago, before the span ends.
      span.setAttribute('db.query.text', statement.sanitized);
      // The contrib puts the server's message in the status; it can quote the offending value.
      const setStatus = span.setStatus;
      span.setStatus = (status) =>
        setStatus.call(
          span,
          status.message === undefined
            ? status
            : { ...status, message: sanitizeDbErrorMessage(status.message) },
        );
      slow.watch(span, {
        'db.system.name': 'postgresql',
        'db.operation.name': statement.operation,
        ...(connection.database ? { 'db.namespace': connection.database } : {}),
      });
    },
  });
  const internals = pg as unknown as ContribInternals;
  const queryPatch = internals._getClientQueryPatch?.bind(pg);
  const recordPoolMax = internals._recordPoolMax?.bind(pg);
  if (queryPatch && recordPoolMax && internals._setPoolConnectEventListeners) {
    const poolCounts = new PgPoolCounts(meter);
    internals._getClientQueryPatch = () => (original) =>
      withTransactions(queryPatch()(original), tracer);
    // Instead of the contrib's listeners, which update its up-down counters on every pool event.
    internals._setPoolConnectEventListeners = (pool) => {
      recordPoolMax(pool);
      poolCounts.watch(pool);
    };
  } else {
    diag.warn(
      'sightline: this @opentelemetry/instrumentation-pg lacks the internals Sightline wraps; transaction spans and per-pool counts are off',
    );
  }
  return enableContrib(pg, context);
};

/** What the hooks derive from a statement's text. */
interface Statement {
  readonly sanitized: string;
  readonly operation: string;
}

/** Statements kept; past this many the cache starts over. */
const MAX_STATEMENTS = 512;
/** Longer statements are derived every time rather than kept. */
const MAX_KEPT_LENGTH = 1024;

/**
 * The sanitised text and operation of each statement text seen, kept: an app sends the same few
 * parameterised statements again and again, and scanning each one per query is wasted work.
 */
class StatementCache {
  private readonly byText = new Map<string, Statement>();

  of(text: string): Statement {
    let statement = this.byText.get(text);
    if (statement === undefined) {
      statement = { sanitized: sanitizeSql(text), operation: operationName(text) };
      if (text.length <= MAX_KEPT_LENGTH) {
        if (this.byText.size >= MAX_STATEMENTS) this.byText.clear();
        this.byText.set(text, statement);
      }
    }
    return statement;
  }
}

function operationName(text: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(text);
  return match ? (match[1] as string).toUpperCase() : 'unknown';
}
