import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startViewer } from '@sightline/viewer';
import { runDemo } from '../src/index.mjs';

describe('runDemo without DATABASE_URL and REDIS_URL', () => {
  let dataDir;
  let result;
  let viewer;
  let text = '';
  const api = async (path) => {
    const response = await fetch(`${viewer.httpUrl}${path}`);
    assert.equal(response.status, 200, path);
    return response.json();
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sightline-demo-standins-'));
    const out = new Writable({
      write(chunk, _encoding, done) {
        text += chunk;
        done();
      },
    });
    result = await runDemo({
      durationMs: 4000,
      exit: true,
      port: 0,
      dataDir,
      databaseUrl: '',
      redisUrl: '',
      out,
    });
    viewer = await startViewer({ httpPort: 0, grpcPort: false, dataDir });
  });
  after(async () => {
    await viewer?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says it uses the embedded stand-ins, and prints the summary and the UI address', () => {
    assert.match(text, /database\s+embedded stand-in/);
    assert.match(text, /cache\s+embedded stand-in/);
    assert.match(text, /traces stored\s+\d+/);
    assert.match(text, new RegExp(`Open the UI: ${result.uiUrl}`));
  });

  it('records db.* spans through databaseSpans in place of the pg instrumentation', async () => {
    const { traces } = await api(
      `/api/traces?run=${result.runId}&service=orders&operation=${encodeURIComponent('INSERT orders')}&limit=5`,
    );
    assert.ok(traces.length > 0, 'no INSERT orders span');
    const { spans } = await api(`/api/traces/${traces[0].traceId}`);
    const insert = spans.find((s) => s.name === 'INSERT orders');
    assert.equal(insert.kind, 3);
    assert.equal(insert.attributes['db.system.name'], 'other_sql');
    assert.equal(insert.attributes['db.operation.name'], 'INSERT');
    assert.equal(insert.attributes['db.collection.name'], 'orders');
    const transaction = spans.find((s) => s.spanId === insert.parentSpanId);
    assert.equal(transaction?.name, 'database.transaction');
  });

  it('records cache spans through cacheSpans, with hits and misses', async () => {
    const { traces } = await api(
      `/api/traces?run=${result.runId}&service=inventory&operation=cache.get&limit=200`,
    );
    const hits = new Set();
    for (const { traceId } of traces.slice(0, 60)) {
      const { spans } = await api(`/api/traces/${traceId}`);
      for (const s of spans.filter((x) => x.name === 'cache.get')) {
        assert.equal(s.attributes['cache.key'], 'stock:{sku}', 'a key pattern, never the raw key');
        hits.add(s.attributes['cache.hit']);
      }
    }
    assert.deepEqual([...hits].sort(), [false, true]);
  });
});
