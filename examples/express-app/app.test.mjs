import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, startExample, startTestViewer } from '../support/example-harness.mjs';

describe('express-app example', () => {
  let viewer;
  before(async () => {
    viewer = await startTestViewer();
  });
  after(() => viewer.close());

  it('traces each request with its route name, the custom span inside it, and the failure', async () => {
    const app = await startExample({
      cwd: import.meta.dirname,
      script: 'app.mjs',
      otlpEndpoint: viewer.url,
    });
    try {
      const ok = await fetch(`${app.url}/hello/ada`);
      assert.deepEqual(await ok.json(), { greeting: 'Hello, ada!' });
      assert.equal((await fetch(`${app.url}/fail`)).status, 500);
    } finally {
      await app.stop();
    }

    const hello = await eventually(async () => {
      const { traces } = await viewer.api(
        '/api/traces?service=express-app&operation=GET%20%2Fhello%2F%3Aname',
      );
      return traces[0];
    });
    const { spans } = await viewer.api(`/api/traces/${hello.traceId}`);
    const root = spans.find((s) => s.parentSpanId === '');
    assert.equal(root.name, 'GET /hello/:name');
    assert.equal(root.kind, 2);
    assert.equal(root.attributes['http.route'], '/hello/:name');
    assert.equal(root.attributes['http.response.status_code'], 200);
    const custom = spans.find((s) => s.name === 'render greeting');
    assert.ok(custom, `no custom span among ${spans.map((s) => s.name).join(', ')}`);
    const ancestors = new Set();
    for (let s = custom; s; s = spans.find((p) => p.spanId === s.parentSpanId))
      ancestors.add(s.spanId);
    assert.ok(ancestors.has(root.spanId), 'the custom span is inside the request span');

    const { traces: failed } = await viewer.api('/api/traces?service=express-app&status=error');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].rootName, 'GET /fail');
  });
});
