// A fastify app with PostgreSQL and a Redis read-through cache. Sightline is started by
// `node --import @sightline/node/register` (see package.json): HTTP spans with fastify route names,
// pg query and transaction spans (SQL sanitised), Redis spans with hit/miss and key patterns, and
// their metrics, all without a line of telemetry code here.
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
// Keys carry the process id so two copies of the example never share cached rows.
const key = (id) => `example:${process.pid}:book:${id}`;

await pool.query(
  'CREATE TABLE IF NOT EXISTS sightline_example_books (id serial PRIMARY KEY, title text NOT NULL)',
);

const app = Fastify();

app.post('/books', async (request, reply) => {
  const { title } = request.body;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'INSERT INTO sightline_example_books (title) VALUES ($1) RETURNING id, title',
      [title],
    );
    await client.query('COMMIT');
    reply.code(201);
    return rows[0];
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});

app.get('/books/:id', async (request, reply) => {
  const id = Number(request.params.id);
  const cached = await redis.get(key(id));
  if (cached) return { ...JSON.parse(cached), cached: true };
  const { rows } = await pool.query('SELECT id, title FROM sightline_example_books WHERE id = $1', [
    id,
  ]);
  if (rows.length === 0) {
    reply.code(404);
    return { error: 'no such book' };
  }
  await redis.set(key(id), JSON.stringify(rows[0]), 'EX', 30);
  return { ...rows[0], cached: false };
});

const shutdown = async () => {
  await app.close();
  await Promise.allSettled([pool.end(), redis.quit()]);
};
process.once('beforeExit', shutdown);

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`fastify-app listening on ${address}`);
console.log(
  `  try: curl -XPOST -H 'content-type: application/json' -d '{"title":"Dune"}' ${address}/books`,
);
