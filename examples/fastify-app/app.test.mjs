import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  servicesSkipReason,
  startExample,
  startTestViewer,
} from '../support/example-harness.mjs';

const skip = await servicesSkipReason();

describe('fastify-app example', { skip }, () => {
  let viewer;
  before(async () => {
    viewer = await startTestViewer();
  });
  after(() => viewer?.close());

  it('traces route, SQL and cache: a miss reads PostgreSQL, the next read hits Redis', async () => {
    const app = await startExample({
      cwd: import.meta.dirname,
      script: 'app.mjs',
      otlpEndpoint: viewer.url,
    });
    let id;
    try {
      const created = await fetch(`${app.url}/books`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Dune' }),
      });
      assert.equal(created.status, 201);
      id = (await created.json()).id;
      assert.equal((await (await fetch(`${app.url}/books/${id}`)).json()).cached, false);
      assert.equal((await (await fetch(`${app.url}/books/${id}`)).json()).cached, true);
    } finally {
      await app.stop();
    }

    const reads = await eventually(async () => {
      const { traces } = await viewer.api(
        '/api/traces?service=fastify-app&operation=GET%20%2Fbooks%2F%3Aid',
      );
      return traces.length === 2 ? traces : undefined;
    });
    // Newest first: [hit, miss].
    const [hit, miss] = await Promise.all(
      reads.map(async (t) => (await viewer.api(`/api/traces/${t.traceId}`)).spans),
    );
    const rootOf = (spans) => spans.find((s) => s.parentSpanId === '');
    assert.equal(rootOf(miss).attributes['http.route'], '/books/:id');
    const sql = miss.find((s) => s.name.startsWith('pg.query'));
    assert.ok(sql, `no pg span in ${miss.map((s) => s.name).join(', ')}`);
    assert.match(String(sql.attributes['db.query.text']), /WHERE id = \$1/);
    const redisRead = (spans) =>
      spans.find(
        (s) =>
          s.attributes['db.system.name'] === 'redis' &&
          String(s.attributes['db.operation.name']).toUpperCase() === 'GET',
      );
    assert.equal(redisRead(miss)?.attributes['cache.hit'], false);
    assert.equal(redisRead(hit)?.attributes['cache.hit'], true);
    assert.equal(
      hit.some((s) => s.attributes['db.system.name'] === 'postgresql'),
      false,
      'a cache hit does not query PostgreSQL',
    );
    assert.ok(!JSON.stringify(miss).includes(`book:${id}"`), 'no raw cache key in telemetry');

    const { traces: writes } = await viewer.api(
      '/api/traces?service=fastify-app&operation=POST%20%2Fbooks',
    );
    const { spans: write } = await viewer.api(`/api/traces/${writes[0].traceId}`);
    assert.ok(
      write.some((s) => /transaction/.test(s.name)),
      `no transaction span in ${write.map((s) => s.name).join(', ')}`,
    );
  });
});
