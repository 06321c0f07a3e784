// The orders service's database layer: PostgreSQL when DATABASE_URL is set (the pg instrumentation
// that `@sightline/node` enables records the db.* spans), otherwise an in-process stand-in that
// records the same kind of spans through the `databaseSpans` domain family.
import { databaseSpans } from '@sightline/node/domains';
import { sleep } from './service-runtime.mjs';

const TABLE = 'sightline_demo_orders';

/**
 * @typedef {{ id: number, sku: string, quantity: number, totalCents: number, status: string }} Order
 * @typedef {{
 *   kind: 'postgresql' | 'embedded',
 *   insertOrder(order: Omit<Order, 'id' | 'status'>): Promise<Order>,
 *   getOrder(id: number): Promise<Order | undefined>,
 *   markFulfilled(ids: number[]): Promise<number>,
 *   dailyReport(): Promise<{ sku: string, orders: number, revenueCents: number }[]>,
 *   close(): Promise<void>,
 * }} OrderStore
 */

/** @returns {Promise<OrderStore>} */
export async function openOrderStore(databaseUrl = process.env.DATABASE_URL) {
  return databaseUrl ? openPostgresStore(databaseUrl) : openEmbeddedStore();
}

/** @returns {Promise<OrderStore>} */
async function openPostgresStore(databaseUrl) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id serial PRIMARY KEY, sku text NOT NULL,
     quantity int NOT NULL, total_cents int NOT NULL, status text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now())`,
  );
  const toOrder = (row) => ({
    id: row.id,
    sku: row.sku,
    quantity: row.quantity,
    totalCents: row.total_cents,
    status: row.status,
  });
  return {
    kind: 'postgresql',
    async insertOrder(order) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query(
          `INSERT INTO ${TABLE} (sku, quantity, total_cents, status) VALUES ($1, $2, $3, 'placed') RETURNING *`,
          [order.sku, order.quantity, order.totalCents],
        );
        await client.query('COMMIT');
        return toOrder(rows[0]);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async getOrder(id) {
      const { rows } = await pool.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);
      return rows[0] ? toOrder(rows[0]) : undefined;
    },
    async markFulfilled(ids) {
      const { rowCount } = await pool.query(
        `UPDATE ${TABLE} SET status = 'fulfilled' WHERE id = ANY($1::int[])`,
        [ids],
      );
      return rowCount ?? 0;
    },
    async dailyReport() {
      // The slow endpoint, on purpose: a report that waits on the database.
      await pool.query('SELECT pg_sleep(0.25)');
      const { rows } = await pool.query(
        `SELECT sku, count(*)::int AS orders, sum(total_cents)::int AS revenue FROM ${TABLE}
         WHERE created_at > now() - interval '1 day' GROUP BY sku ORDER BY sku`,
      );
      return rows.map((r) => ({ sku: r.sku, orders: r.orders, revenueCents: r.revenue }));
    },
    close: () => pool.end(),
  };
}

/** @returns {OrderStore} */
function openEmbeddedStore() {
  /** @type {Map<number, Order>} */
  const rows = new Map();
  let nextId = 1;
  const base = { system: 'other_sql', namespace: 'demo', collection: 'orders' };
  // A little latency so the spans look like a database's.
  const io = () => sleep(1 + Math.random() * 3);
  return {
    kind: 'embedded',
    insertOrder: (order) =>
      databaseSpans.transaction({ system: 'other_sql', namespace: 'demo', statementCount: 1 }, () =>
        databaseSpans.query(
          { ...base, operation: 'INSERT', summary: 'INSERT orders', batchSize: 1 },
          { name: 'INSERT orders' },
          async () => {
            await io();
            const row = { id: nextId++, ...order, status: 'placed' };
            rows.set(row.id, row);
            return row;
          },
        ),
      ),
    getOrder: (id) =>
      databaseSpans.query(
        { ...base, operation: 'SELECT', summary: 'SELECT orders' },
        { name: 'SELECT orders' },
        async (span) => {
          await io();
          const row = rows.get(id);
          databaseSpans.query.setAttributes(span, { returnedRows: row ? 1 : 0 });
          return row;
        },
      ),
    markFulfilled: (ids) =>
      databaseSpans.query(
        { ...base, operation: 'UPDATE', summary: 'UPDATE orders', batchSize: ids.length },
        { name: 'UPDATE orders' },
        async () => {
          await io();
          let changed = 0;
          for (const id of ids) {
            const row = rows.get(id);
            if (row) {
              row.status = 'fulfilled';
              changed++;
            }
          }
          return changed;
        },
      ),
    dailyReport: () =>
      databaseSpans.query(
        { ...base, operation: 'SELECT', summary: 'SELECT orders GROUP BY sku' },
        { name: 'SELECT orders GROUP BY sku' },
        async (span) => {
          // The slow endpoint, on purpose: the stand-in takes as long as the real report does.
          await sleep(250);
          const bySku = new Map();
          for (const row of rows.values()) {
            const entry = bySku.get(row.sku) ?? { sku: row.sku, orders: 0, revenueCents: 0 };
            entry.orders++;
            entry.revenueCents += row.totalCents;
            bySku.set(row.sku, entry);
          }
          databaseSpans.query.setAttributes(span, { returnedRows: bySku.size });
          return [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku));
        },
      ),
    close: async () => {},
  };
}
