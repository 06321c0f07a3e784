import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startExample, startTestViewer } from '../support/example-harness.mjs';

describe('batch-worker example', () => {
  let viewer;
  before(async () => {
    viewer = await startTestViewer();
  });
  after(() => viewer.close());

  it('records one consumer span per batch, linked to the producer span of every job in it', async () => {
    const worker = await startExample({
      cwd: import.meta.dirname,
      script: 'worker.mjs',
      otlpEndpoint: viewer.url,
      env: { JOBS: '12', BATCH_SIZE: '5' },
      waitForUrl: false,
    });
    assert.equal(await worker.exited, 0, worker.output());
    assert.match(worker.output(), /processed 12 jobs in \d+ batches/);

    const { traces } = await viewer.api(
      '/api/traces?service=batch-worker&operation=jobs%20process',
    );
    assert.ok(traces.length >= 3, `${traces.length} batches for 12 jobs of at most 5`);
    const linked = new Set();
    for (const { traceId } of traces) {
      const { spans } = await viewer.api(`/api/traces/${traceId}`);
      const consumer = spans.find((s) => s.name === 'jobs process');
      assert.equal(consumer.kind, 5);
      assert.equal(consumer.parentSpanId, '', 'a batch starts its own trace');
      assert.equal(consumer.links.length, consumer.attributes['messaging.batch.message_count']);
      assert.equal(spans.filter((s) => s.name === 'handle job').length, consumer.links.length);
      for (const link of consumer.links) {
        assert.notEqual(link.traceId, traceId);
        const { spans: request } = await viewer.api(`/api/traces/${link.traceId}`);
        const producer = request.find((s) => s.spanId === link.spanId);
        assert.equal(producer?.name, 'jobs publish');
        assert.equal(producer?.kind, 4);
        // The producer span sits inside the HTTP request that enqueued the job.
        assert.equal(request.find((s) => s.spanId === producer.parentSpanId)?.kind, 2);
        linked.add(link.attributes['messaging.message.id']);
      }
    }
    assert.equal(linked.size, 12, 'every job is linked from exactly one batch');
  });
});
