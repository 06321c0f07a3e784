import {
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type TransactionVerb, transactionVerb } from './transaction-statement.js';

const TRANSACTION = Symbol('sightline.pg.transaction');
const END_WATCHED = Symbol('sightline.pg.end-watched');

/** Outcome recorded on a transaction span. */
export const TRANSACTION_OUTCOME = 'sightline.db.transaction.outcome';

interface OpenTransaction {
  readonly span: Span;
  readonly context: Context;
}

/** The parts of a `pg` Client this module reads. */
export interface PgClient {
  [TRANSACTION]?: OpenTransaction | undefined;
  [END_WATCHED]?: true;
  connectionParameters?: { database?: string; host?: string; port?: number };
  once?(event: 'end', listener: () => void): unknown;
}

export type PgQuery = (this: PgClient, ...args: unknown[]) => unknown;

/**
 * Wraps the (already instrumented) `Client.prototype.query` so that `BEGIN` … `COMMIT`/`ROLLBACK`
 * on one client becomes one `pg.transaction <db>` span, parent of every query span in between
 * (whatever context the app issues them from), ended with `sightline.db.transaction.outcome`
 * `commit`, `rollback` (also a COMMIT the server turned into a rollback) or `abandoned` (client
 * released or ended mid-transaction).
 */
export function withTransactions(query: PgQuery, tracer: Tracer): PgQuery {
  return function queryInTransaction(this: PgClient, ...args: unknown[]): unknown {
    let verb: TransactionVerb | undefined;
    let open: OpenTransaction | undefined;
    try {
      open = this[TRANSACTION];
      const text = queryText(args[0]);
      verb = text === undefined ? undefined : transactionVerb(text);
      if (open === undefined && verb === 'begin') open = startTransaction(this, tracer);
      else if (open === undefined || verb === 'begin') verb = undefined;
    } catch {
      open = undefined;
    }
    if (open === undefined) return query.apply(this, args);
    const transaction = open;
    if (verb === undefined) return context.with(transaction.context, () => query.apply(this, args));
    if (verb !== 'begin') this[TRANSACTION] = undefined;
    const settled =
      verb === 'begin'
        ? (error: unknown) => {
            // A BEGIN that failed opened nothing.
            if (error !== undefined && this[TRANSACTION] === transaction) {
              this[TRANSACTION] = undefined;
              endTransaction(transaction, 'abandoned', error);
            }
          }
        : (error: unknown, result: unknown) =>
            endTransaction(transaction, outcomeOf(verb, result), error);
    return observe(this, args, transaction.context, query, settled);
  };
}

/** Ends the open transaction of a client as `abandoned` (released to the pool, or ended). */
export function abandonTransaction(client: PgClient | undefined): void {
  const open = client?.[TRANSACTION];
  if (client === undefined || open === undefined) return;
  client[TRANSACTION] = undefined;
  endTransaction(open, 'abandoned', undefined);
}

function startTransaction(client: PgClient, tracer: Tracer): OpenTransaction {
  const { database, host, port } = client.connectionParameters ?? {};
  const span = tracer.startSpan(database ? `pg.transaction ${database}` : 'pg.transaction', {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      ...(database ? { 'db.namespace': database } : {}),
      ...(host ? { 'server.address': host } : {}),
      ...(port ? { 'server.port': port } : {}),
    },
  });
  const open = { span, context: trace.setSpan(context.active(), span) };
  client[TRANSACTION] = open;
  if (client[END_WATCHED] !== true && typeof client.once === 'function') {
    client[END_WATCHED] = true;
    client.once('end', () => abandonTransaction(client));
  }
  return open;
}

function outcomeOf(verb: TransactionVerb, result: unknown): string {
  if (verb === 'rollback') return 'rollback';
  // COMMIT of a failed transaction succeeds with the command tag ROLLBACK.
  return (result as { command?: unknown } | undefined)?.command === 'ROLLBACK'
    ? 'rollback'
    : 'commit';
}

function endTransaction(open: OpenTransaction, outcome: string, error: unknown): void {
  open.span.setAttribute(TRANSACTION_OUTCOME, outcome);
  if (error !== undefined && error !== null) {
    const code = (error as { code?: unknown }).code;
    const type = typeof code === 'string' ? code : (error as Error).name || 'Error';
    open.span.setAttribute('error.type', type);
    open.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
  }
  open.span.end();
}

/** Runs the query in `ctx` and reports how it settled, for the callback and the promise forms. */
function observe(
  client: PgClient,
  args: unknown[],
  ctx: Context,
  query: PgQuery,
  settled: (error: unknown, result: unknown) => void,
): unknown {
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = function settledCallback(this: unknown, error: unknown, result: unknown) {
      settled(error ?? undefined, result);
      return Reflect.apply(callback, this, [error, result]);
    };
  }
  let result: unknown;
  try {
    result = context.with(ctx, () => query.apply(client, args));
  } catch (error) {
    settled(error, undefined);
    throw error;
  }
  if (typeof callback !== 'function') {
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function')
      (result as PromiseLike<unknown>).then(
        (value) => settled(undefined, value),
        (error: unknown) => settled(error, undefined),
      );
    else settled(undefined, undefined);
  }
  return result;
}

function queryText(first: unknown): string | undefined {
  if (typeof first === 'string') return first;
  const text = (first as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}
