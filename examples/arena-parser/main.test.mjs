// Runs the example against the real in-process OTLP receiver of @sightline/node's tests and
// asserts that its arena telemetry arrives: metrics, pattern spans, the per-batch traces.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const RECEIVER = new URL('../../packages/node/dist/test/support/otlp-receiver.js', import.meta.url);

describe('arena-parser example', () => {
  let receiver;

  before(async () => {
    assert.ok(existsSync(fileURLToPath(RECEIVER)), 'build @sightline/node first (npm run build)');
    const { startOtlpReceiver } = await import(RECEIVER.href);
    receiver = await startOtlpReceiver();
  });

  after(() => receiver?.stop());

  it('parses every message with a checkpoint each, and exports its arena telemetry over OTLP', async () => {
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('OTEL_')) delete env[key];
    const { stdout } = await run(process.execPath, ['main.mjs'], {
      cwd: import.meta.dirname,
      timeout: 60_000,
      env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl },
    });
    assert.match(stdout, /parsed 1000 messages: \{"order":\d+,"quote":\d+,"heartbeat":\d+\}/);
    // One checkpoint per message, each rolled back at the end of the message.
    assert.match(
      stdout,
      /arena headers: 1000 allocations, \d+ bytes, high-water \d+ of 65536, 1000 rollbacks/,
    );
    assert.match(stdout, /arena bodies: \d+ allocations, .* 1000 rollbacks/);

    const spans = await receiver.waitFor(
      () => receiver.spans.filter((s) => s.name === 'parse-batch').length === 10 && receiver.spans,
      { what: '10 parse-batch spans' },
    );
    const batches = spans.filter((s) => s.name === 'parse-batch');
    for (const batch of batches) {
      const children = spans.filter((s) => s.parentSpanId === batch.spanId).map((s) => s.name);
      assert.deepEqual(children.sort(), ['arena bodies', 'arena headers']);
    }
    const patterns = spans.filter(
      (s) => s.attributes['sightline.arena.pattern.name'] !== undefined,
    );
    assert.equal(patterns.length, 1000);
    assert.deepEqual([...new Set(patterns.map((s) => s.name))].sort(), [
      'decode heartbeat',
      'decode order',
      'decode quote',
    ]);
    // Quotes carry 2 to 4 fields, so their fingerprint changes from one quote to the next at times.
    assert.ok(patterns.some((s) => s.attributes['sightline.arena.pattern.changed'] === true));
    assert.ok(
      spans.some((s) => s.name === 'sightline.arena.alloc'),
      'some allocations sampled',
    );

    const metrics = await receiver.waitFor(
      () =>
        receiver.metrics.some((m) => m.name === 'sightline.arena.allocations') && receiver.metrics,
      { what: 'arena metrics' },
    );
    const allocationsOf = (name) =>
      metrics
        .find((m) => m.name === 'sightline.arena.allocations')
        ?.points.find((p) => p.attributes['sightline.arena.name'] === name)?.value;
    assert.equal(allocationsOf('headers'), 1000);
    for (const name of [
      'capacity',
      'used',
      'high_water_mark',
      'fragmentation',
      'allocated',
      'resets',
      'failures',
    ]) {
      assert.ok(
        metrics.some((m) => m.name === `sightline.arena.${name}`),
        name,
      );
    }
    assert.equal(receiver.errors.length, 0);
  });
});
