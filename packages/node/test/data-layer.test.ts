import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { init, type SightlineHandle, withSpan } from '../src/index.js';
import {
  type OtlpReceiver,
  type ReceivedMetric,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';
import { PG_USER, serviceSkipReason } from './support/services.js';

// Loaded with require, after init(): the contrib instrumentations patch them through require hooks.
const require = createRequire(import.meta.url);

interface PgResult {
  rows: Array<Record<string, unknown>>;
  command: string;
}
interface PgClient {
  query(text: string, values?: unknown[]): Promise<PgResult>;
  release(error?: unknown): void;
}
interface PgPool {
  query(text: string, values?: unknown[]): Promise<PgResult>;
  connect(): Promise<PgClient>;
  end(): Promise<void>;
}
interface RedisLike {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<string | null>;
  mget?(...keys: string[]): Promise<Array<string | null>>;
  mGet?(keys: string[]): Promise<Array<string | null>>;
  del(key: string): Promise<unknown>;
}

const POOL_NAME = '127.0.0.1:5432/test';

describe('data layer against the real PostgreSQL and Redis', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;
  let skipPg: string | undefined;
  let skipRedis: string | undefined;

  before(async () => {
    skipPg = await serviceSkipReason('postgres');
    skipRedis = await serviceSkipReason('redis');
    receiver = await startOtlpReceiver();
    sightline = init({
      service: { name: 'data-layer-test' },
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exportIntervalMillis: 60_000 },
      logs: { exporters: ['none'] },
      instrumentations: {
        enabled: ['pg', 'redis', 'ioredis'],
        db: { slowQueryThresholdMillis: 200 },
      },
      shutdown: { handleSignals: false },
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  async function spans(what: string, predicate: (s: ReceivedSpan) => boolean, count = 1) {
    await sightline.flush();
    return receiver.waitFor(
      () => {
        const found = receiver.spans.filter(predicate);
        return found.length >= count ? found : undefined;
      },
      { what },
    );
  }

  /** The latest exported data of a metric (cumulative), after a flush. */
  async function metric(name: string): Promise<ReceivedMetric> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.metrics.findLast((m) => m.name === name), {
      what: `metric ${name}`,
    });
  }

  describe('PostgreSQL', () => {
    let pg: { Pool: new (config: object) => PgPool };
    let pool: PgPool;
    before(() => {
      if (skipPg) return;
      pg = require('pg');
      pool = new pg.Pool({
        host: '127.0.0.1',
        port: 5432,
        database: 'test',
        user: PG_USER,
        max: 2,
      });
    });
    after(async () => {
      await pool?.end();
    });

    it('records queries with their literals replaced by ?, and their duration', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const sql = "SELECT 'alice@example.com' AS email, 4111 AS card, $1::int AS n";
      // Twice: the second time the sanitised text comes from the statements already seen.
      const { rows } = await withSpan('queries', async () => {
        await pool.query(sql, [7]);
        return pool.query(sql, [8]);
      });
      assert.equal(rows[0]?.card, 4111);
      const both = await spans('the query spans', (s) => s.name === 'pg.query:SELECT test', 2);
      for (const s of both) {
        assert.equal(s.attributes['db.query.text'], 'SELECT ? AS email, ? AS card, $1::int AS n');
      }
      const span = both[0];
      assert.equal(span?.attributes['db.system.name'], 'postgresql');
      assert.equal(
        span?.attributes['db.postgresql.values'],
        undefined,
        'parameters are never recorded',
      );
      const duration = await metric('db.client.operation.duration');
      const point = duration.points.find((p) => p.attributes['db.operation.name'] === 'SELECT');
      assert.ok(point && (point.count ?? 0) >= 1, 'a SELECT duration point');
    });

    it("keeps the offending value out of a failed query's status, and records error.type", async (t) => {
      if (skipPg) return t.skip(skipPg);
      await assert.rejects(
        pool.query('SELECT $1::int AS n', ['card-4111']),
        /invalid input syntax/,
      );
      const [span] = await spans(
        'the failed query',
        (s) => s.attributes['db.query.text'] === 'SELECT $1::int AS n',
      );
      assert.equal(span?.status.code, 2);
      assert.match(span?.status.message ?? '', /invalid input syntax for type integer: "\?"/);
      assert.doesNotMatch(
        JSON.stringify([span?.attributes, span?.events, span?.status]),
        /card-4111/,
      );
      const duration = await metric('db.client.operation.duration');
      assert.ok(duration.points.some((p) => p.attributes['error.type'] === '22P02'));
    });

    it('records a transaction span from BEGIN to COMMIT, parent of its queries', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const client = await pool.connect();
      try {
        await client.query('CREATE TEMP TABLE IF NOT EXISTS sl_accounts (id int, note text)');
        await client.query('BEGIN');
        // Issued outside any span of the app: the transaction still parents them.
        await client.query("INSERT INTO sl_accounts VALUES (1, 'secret note')");
        await client.query('UPDATE sl_accounts SET note = $1 WHERE id = 1', ['x']);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      const [tx] = await spans(
        'the committed transaction',
        (s) =>
          s.name === 'pg.transaction test' &&
          s.attributes['sightline.db.transaction.outcome'] === 'commit',
      );
      assert.ok(tx);
      const children = await spans('the queries inside', (s) => s.parentSpanId === tx.spanId, 3);
      assert.deepEqual(
        children.map((s) => s.attributes['db.query.text']).sort(),
        [
          'BEGIN',
          'COMMIT',
          'INSERT INTO sl_accounts VALUES (?, ?)',
          'UPDATE sl_accounts SET note = $1 WHERE id = ?',
        ].sort(),
      );
      assert.ok(
        !receiver.spans.some((s) => String(s.attributes['db.query.text']).includes('secret')),
        'no literal anywhere',
      );
    });

    it('records ROLLBACK, and a COMMIT of a failed transaction, as rollback', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT 1');
        await client.query('ROLLBACK');
        await client.query('BEGIN');
        await client.query('SELECT * FROM no_such_table_here').catch(() => {});
        const commit = await client.query('COMMIT');
        assert.equal(commit.command, 'ROLLBACK');
      } finally {
        client.release();
      }
      const rolledBack = await spans(
        'two rolled-back transactions',
        (s) =>
          s.name === 'pg.transaction test' &&
          s.attributes['sightline.db.transaction.outcome'] === 'rollback',
        2,
      );
      assert.equal(rolledBack.length, 2);
      const failed = receiver.spans.find(
        (s) => s.attributes['db.query.text'] === 'SELECT * FROM no_such_table_here',
      );
      assert.equal(failed?.status.code, 2);
      assert.ok(rolledBack.some((s) => s.spanId === failed?.parentSpanId));
    });

    it('ends a transaction left open when its client goes back to the pool, as abandoned', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const client = await pool.connect();
      await client.query('BEGIN');
      client.release(new Error('give up'));
      const [tx] = await spans(
        'the abandoned transaction',
        (s) => s.attributes['sightline.db.transaction.outcome'] === 'abandoned',
      );
      assert.ok(tx);
      // The next user of a pooled client is not parented to the old transaction.
      const next = await pool.connect();
      try {
        await withSpan('after abandon', () => next.query('SELECT 2'));
      } finally {
        next.release();
      }
      const [after] = await spans(
        'the next query',
        (s) => s.attributes['db.query.text'] === 'SELECT ?' && s.parentSpanId !== tx.spanId,
      );
      assert.ok(after);
    });

    it('counts used, idle and pending connections, including requests queued on an exhausted pool', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const first = await pool.connect();
      const second = await pool.connect();
      const third = pool.connect(); // max is 2: this one waits
      await sleep(20);
      const pending = await metric('db.client.connection.pending_requests');
      const waiting = pending.points.find(
        (p) => p.attributes['db.client.connection.pool.name'] === POOL_NAME,
      );
      assert.equal(waiting?.value, 1, 'one request pending');
      const count = await metric('db.client.connection.count');
      const used = count.points.find(
        (p) =>
          p.attributes['db.client.connection.state'] === 'used' &&
          p.attributes['db.client.connection.pool.name'] === POOL_NAME,
      );
      assert.equal(used?.value, 2);
      first.release();
      const client = await third;
      await sleep(20);
      const after = await metric('db.client.connection.pending_requests');
      assert.equal(
        after.points.find((p) => p.attributes['db.client.connection.pool.name'] === POOL_NAME)
          ?.value,
        0,
      );
      client.release();
      second.release();
      const max = await metric('db.client.connection.max');
      assert.equal(
        max.points.find((p) => p.attributes['db.client.connection.pool.name'] === POOL_NAME)?.value,
        2,
      );
    });

    it('keeps the connection counts of two pools apart', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const other = new pg.Pool({
        host: 'localhost',
        port: 5432,
        database: 'test',
        user: PG_USER,
        max: 3,
      });
      try {
        const a1 = await pool.connect();
        const a2 = await pool.connect();
        const b1 = await other.connect();
        const count = await metric('db.client.connection.count');
        const used = (name: string) =>
          count.points.find(
            (p) =>
              p.attributes['db.client.connection.state'] === 'used' &&
              p.attributes['db.client.connection.pool.name'] === name,
          )?.value;
        assert.equal(used(POOL_NAME), 2);
        assert.equal(used('localhost:5432/test'), 1);
        a1.release();
        a2.release();
        b1.release();
        const after = await metric('db.client.connection.count');
        const idle = after.points.find(
          (p) =>
            p.attributes['db.client.connection.state'] === 'idle' &&
            p.attributes['db.client.connection.pool.name'] === 'localhost:5432/test',
        );
        assert.equal(idle?.value, 1);
      } finally {
        await other.end();
      }
    });

    it('sums pools that share a name, and reports zero for them once they ended', async (t) => {
      if (skipPg) return t.skip(skipPg);
      const name = 'localhost:5432/test';
      const make = () =>
        new pg.Pool({ host: 'localhost', port: 5432, database: 'test', user: PG_USER, max: 3 });
      const reads = make();
      const writes = make();
      const points = async (state: string) =>
        (await metric('db.client.connection.count')).points.find(
          (p) =>
            p.attributes['db.client.connection.state'] === state &&
            p.attributes['db.client.connection.pool.name'] === name,
        )?.value;
      try {
        const held = [await reads.connect(), await reads.connect(), await writes.connect()];
        assert.equal(await points('used'), 3, 'two from one pool and one from the other');
        for (const client of held) client.release();
        assert.equal(await points('used'), 0);
        assert.equal(await points('idle'), 3);
      } finally {
        await reads.end();
        await writes.end();
      }
      assert.equal(await points('idle'), 0, 'ended pools hold no connections');
      assert.equal(await points('used'), 0);
    });

    it('flags a query slower than the threshold with an event and counts it', async (t) => {
      if (skipPg) return t.skip(skipPg);
      await pool.query('SELECT pg_sleep(0.3)');
      await pool.query('SELECT pg_sleep(0)');
      const [slow] = await spans(
        'the slow query',
        (s) => s.attributes['db.query.text'] === 'SELECT pg_sleep(?)',
        2,
      );
      const all = receiver.spans.filter(
        (s) => s.attributes['db.query.text'] === 'SELECT pg_sleep(?)',
      );
      const flagged = all.filter((s) => s.events.some((e) => e.name === 'sightline.db.slow_query'));
      assert.equal(flagged.length, 1, 'only the slow one');
      const event = flagged[0]?.events.find((e) => e.name === 'sightline.db.slow_query');
      assert.ok(Number(event?.attributes['sightline.db.query.duration_ms']) >= 300);
      assert.equal(event?.attributes['sightline.db.slow_query.threshold_ms'], 200);
      assert.ok(slow);
      const counter = await metric('sightline.db.slow_queries');
      const point = counter.points.find((p) => p.attributes['db.operation.name'] === 'SELECT');
      // The count is the process's: any earlier SELECT that a loaded machine made slow counts too,
      // and carries the event as well.
      const flaggedSelects = receiver.spans.filter(
        (s) =>
          s.events.some((e) => e.name === 'sightline.db.slow_query') &&
          String(s.attributes['db.query.text']).startsWith('SELECT'),
      );
      assert.ok(flaggedSelects.length >= 1);
      assert.equal(point?.value, flaggedSelects.length);
      assert.equal(point?.attributes['db.system.name'], 'postgresql');
    });
  });

  for (const library of ['ioredis', 'redis'] as const) {
    describe(`Redis through ${library}`, () => {
      let client: RedisLike & { quit(): Promise<unknown> };
      const scope = `@opentelemetry/instrumentation-${library}`;
      const prefix = `sightline-test:${library}:${process.pid}`;
      before(async () => {
        if (skipRedis) return;
        if (library === 'ioredis') {
          const Redis = require('ioredis');
          client = new Redis({ host: '127.0.0.1', port: 6379 });
        } else {
          const { createClient } = require('redis');
          const redis = createClient({ url: 'redis://127.0.0.1:6379' });
          await redis.connect();
          client = redis;
        }
      });
      after(async () => {
        if (!client) return;
        await client.del(`${prefix}:user:42`);
        await client.quit();
      });

      it('records hits and misses with key patterns, never raw keys', async (t) => {
        if (skipRedis) return t.skip(skipRedis);
        await client.set(`${prefix}:user:42`, 'Ada');
        assert.equal(await client.get(`${prefix}:user:42`), 'Ada');
        assert.equal(await client.get(`${prefix}:user:43`), null);
        assert.equal(await client.get(`${prefix}:user:44`), null);
        const keys = [`${prefix}:user:42`, `${prefix}:user:45`];
        const values = client.mget ? await client.mget(...keys) : await client.mGet?.(keys);
        assert.deepEqual(values, ['Ada', null]);

        const pattern = `sightline-test:${library}:{id}:user:{id}`;
        const reads = await spans(
          'three GET spans',
          (s) =>
            s.scope.name === scope &&
            String(s.attributes['db.operation.name']).toUpperCase() === 'GET',
          3,
        );
        assert.deepEqual(
          reads.map((s) => s.attributes['cache.hit']),
          [true, false, false],
        );
        for (const span of reads) {
          assert.equal(span.attributes['db.query.text'], `GET ${pattern}`);
          assert.equal(span.attributes['cache.key_pattern'], pattern);
        }
        const [set] = await spans(
          'the SET span',
          (s) =>
            s.scope.name === scope &&
            String(s.attributes['db.operation.name']).toUpperCase() === 'SET',
        );
        assert.equal(set?.attributes['db.query.text'], `SET ${pattern} ?`);
        const [mget] = await spans(
          'the MGET span',
          (s) =>
            s.scope.name === scope &&
            String(s.attributes['db.operation.name']).toUpperCase() === 'MGET',
        );
        assert.equal(mget?.attributes['db.query.text'], `MGET ${pattern} ${pattern}`);
        assert.equal(mget?.attributes['cache.hits'], 1);
        assert.equal(mget?.attributes['cache.misses'], 1);
        const raw = receiver.spans.filter(
          (s) => s.scope.name === scope && JSON.stringify(s.attributes).includes(':user:4'),
        );
        assert.deepEqual(raw, [], 'no raw key recorded');

        const own = (m: ReceivedMetric) => m.scope.name === `@sightline/node/${library}`;
        await sightline.flush();
        const hits = await receiver.waitFor(
          () => receiver.metrics.findLast((m) => own(m) && m.name === 'sightline.cache.hits'),
          { what: 'hits' },
        );
        const misses = await receiver.waitFor(
          () => receiver.metrics.findLast((m) => own(m) && m.name === 'sightline.cache.misses'),
          { what: 'misses' },
        );
        const ratio = await receiver.waitFor(
          () => receiver.metrics.findLast((m) => own(m) && m.name === 'sightline.cache.hit_ratio'),
          { what: 'ratio' },
        );
        const sum = (m: ReceivedMetric) => m.points.reduce((total, p) => total + (p.value ?? 0), 0);
        assert.equal(sum(hits), 2);
        assert.equal(sum(misses), 3);
        assert.equal(hits.points[0]?.attributes['cache.key_pattern'], pattern);
        assert.equal(ratio.points[0]?.value, 2 / 5);
        assert.equal(ratio.points[0]?.attributes['db.system.name'], 'redis');
        const duration = await receiver.waitFor(
          () =>
            receiver.metrics.findLast((m) => own(m) && m.name === 'db.client.operation.duration'),
          { what: 'the Redis operation duration' },
        );
        assert.equal(duration.unit, 's');
        const gets = duration.points.find((p) => p.attributes['db.operation.name'] === 'GET');
        assert.equal(gets?.count, 3);
        assert.equal(gets?.attributes['db.system.name'], 'redis');
        assert.equal(gets?.attributes['server.port'], 6379);
      });
    });
  }
});
