import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const system = { type: 'string', required: true, key: 'db.system.name' } as const;

/**
 * A database client: queries (CLIENT spans with the stable `db.*` and `server.*` conventions),
 * transactions around them, and acquiring a pooled connection. The prefix is `database`, not
 * `db`, so that the family's own keys and metrics never collide with the `db.*` conventions. For
 * the convention's span name, pass the query summary per call: `{ name: 'SELECT orders' }`.
 *
 * @example
 * ```ts
 * const rows = await databaseSpans.query(
 *   { system: 'postgresql', operation: 'SELECT', collection: 'orders', summary: 'SELECT orders' },
 *   { name: 'SELECT orders' },
 *   () => pool.query(sql, [id]),
 * );
 * ```
 */
export const databaseSpans = defineSpanFamily('database', {
  query: {
    kind: SpanKind.CLIENT,
    attributes: {
      system,
      namespace: { type: 'string', key: 'db.namespace' },
      operation: { type: 'string', key: 'db.operation.name' },
      collection: { type: 'string', key: 'db.collection.name' },
      summary: { type: 'string', key: 'db.query.summary' },
      text: { type: 'string', key: 'db.query.text' },
      batchSize: { type: 'int', key: 'db.operation.batch.size' },
      returnedRows: { type: 'int', key: 'db.response.returned_rows' },
      statusCode: { type: 'string', key: 'db.response.status_code' },
      serverAddress: { type: 'string', key: 'server.address' },
      serverPort: { type: 'int', key: 'server.port' },
    },
  },
  transaction: {
    attributes: {
      system,
      namespace: { type: 'string', key: 'db.namespace' },
      isolationLevel: 'string',
      readOnly: 'bool',
      statementCount: 'int',
    },
  },
  poolAcquire: {
    attributes: {
      pool: { type: 'string', required: true, key: 'db.client.connection.pool.name' },
      system: { type: 'string', key: 'db.system.name' },
      pendingRequests: 'int',
      timeoutSeconds: 'double',
    },
  },
});
