import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { type Attributes, context, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { bindEmitter } from '../src/context/bind-emitter.js';
import { contextForWorker } from '../src/context/worker-context.js';
import { init, type SightlineHandle, withSpan } from '../src/index.js';
import { setBaggage, withBaggage } from '../src/propagation/baggage.js';
import { extract, inject } from '../src/propagation/inject-extract.js';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';

const TASKS = 1000;
const WORKER = new URL('../../test/fixtures/worker-context.mjs', import.meta.url);

/** A small seeded PRNG (mulberry32), so a failing interleaving can be replayed with its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every span says who it is and who its parent must be: `test.key` and `test.parent`.
const keyed = (key: string, parent: string | undefined): Attributes =>
  parent === undefined ? { 'test.key': key } : { 'test.key': key, 'test.parent': parent };

describe('propagation end to end', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: {
        batch: { maxQueueSize: 100_000, maxExportBatchSize: 512, scheduledDelayMillis: 50 },
      },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });
  beforeEach(() => receiver.reset());

  async function received(count: number): Promise<ReceivedSpan[]> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.spans.length >= count && receiver.spans, {
      what: `${count} spans`,
      timeoutMs: 30_000,
    });
  }

  it(`parents every span to its own task across ${TASKS} interleaved async tasks`, async () => {
    const seed = Number(process.env.SIGHTLINE_TEST_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const delay = (): number => Math.floor(random() * 5);
    let expected = 0;
    /** A child span of whatever is active now, which must be `parent`. */
    const child = <T>(key: string, parent: string, fn: () => T = () => undefined as T): T => {
      expected++;
      return withSpan('child', { attributes: keyed(key, parent) }, fn);
    };

    const steps: Array<(root: string, key: string) => Promise<unknown>> = [
      // Plain awaits on timers of random length.
      async (root, key) => {
        await sleep(delay());
        await Promise.resolve();
        child(key, root);
      },
      // Inside setImmediate and process.nextTick callbacks.
      (root, key) => new Promise((resolve) => setImmediate(() => resolve(child(key, root)))),
      (root, key) => new Promise((resolve) => process.nextTick(() => resolve(child(key, root)))),
      // A listener bound with bindEmitter, emitted later from a foreign (root) context.
      (root, key) =>
        new Promise((resolve) => {
          const emitter = bindEmitter(new EventEmitter());
          emitter.once('done', () => resolve(child(key, root)));
          context.with(ROOT_CONTEXT, () => setTimeout(() => emitter.emit('done'), delay()));
        }),
      // A stream: Readable.from through a Transform that makes one child span per chunk.
      (root, key) =>
        pipeline(
          Readable.from([0, 1, 2]),
          new Transform({
            objectMode: true,
            transform(chunk: number, _encoding, callback) {
              setTimeout(
                () =>
                  callback(
                    null,
                    child(`${key}.chunk${chunk}`, root, () => chunk),
                  ),
                delay(),
              );
            },
          }),
          new Writable({ objectMode: true, write: (_chunk, _encoding, callback) => callback() }),
        ),
      // A message through a queue: inject into metadata pairs, extract in a root-context consumer.
      (root, key) => {
        const metadata: Array<[string, string]> = [];
        child(`${key}.publish`, root, () => inject(metadata));
        expected++;
        return new Promise((resolve) =>
          context.with(ROOT_CONTEXT, () =>
            setTimeout(() => {
              const parent = extract(metadata);
              const attributes = keyed(`${key}.consume`, `${key}.publish`);
              resolve(
                withSpan('consume', { kind: SpanKind.CONSUMER, parent, attributes }, () => 0),
              );
            }, delay()),
          ),
        );
      },
    ];

    const task = (n: number): Promise<void> => {
      const root = `task${n}`;
      expected++;
      return withSpan('task', { root: true, attributes: keyed(root, undefined) }, async () => {
        for (let step = 0; step < 4; step++) {
          const run = steps[Math.floor(random() * steps.length)];
          assert.ok(run);
          await run(root, `${root}.step${step}`);
        }
        // A fan-out of 3 children, each awaiting before it makes a grandchild.
        await Promise.all(
          [0, 1, 2].map((i) =>
            child(`${root}.fan${i}`, root, async () => {
              await sleep(delay());
              child(`${root}.fan${i}.leaf`, `${root}.fan${i}`);
            }),
          ),
        );
      });
    };

    await Promise.all(Array.from({ length: TASKS }, (_, n) => task(n)));
    const spans = await received(expected);
    assert.equal(spans.length, expected, `seed ${seed}`);

    const byKey = new Map<string, ReceivedSpan>();
    for (const span of spans) byKey.set(String(span.attributes['test.key']), span);
    assert.equal(byKey.size, expected, `every key once (seed ${seed})`);
    const wrong: string[] = [];
    const traces = new Set<string>();
    for (const span of spans) {
      const key = String(span.attributes['test.key']);
      const parentKey = span.attributes['test.parent'];
      if (parentKey === undefined) {
        if (span.parentSpanId !== '') wrong.push(`${key} should be a root`);
        traces.add(span.traceId);
        continue;
      }
      const parent = byKey.get(String(parentKey));
      if (!parent) wrong.push(`${key}: parent ${String(parentKey)} missing`);
      else if (span.parentSpanId !== parent.spanId || span.traceId !== parent.traceId) {
        const actual = spans.find((s) => s.spanId === span.parentSpanId)?.attributes['test.key'];
        wrong.push(`${key}: parented to ${String(actual ?? (span.parentSpanId || 'nothing'))}`);
      }
    }
    assert.equal(traces.size, TASKS, 'one trace per task');
    assert.deepEqual(
      wrong.slice(0, 20),
      [],
      `${wrong.length} spans parented wrongly (seed ${seed})`,
    );
  });

  it('hands the trace context and baggage to a worker thread', async () => {
    const ask = (workerData: object): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => {
        const worker = new Worker(WORKER, { workerData });
        worker.once('message', (answer) => {
          resolve(answer);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) =>
          reject(new Error(`worker exited with ${code} before answering`)),
        );
      });

    await withBaggage({ tenant: 'acme' }, () =>
      withSpan('dispatch', async (span) => {
        const carrier = contextForWorker();
        assert.deepEqual(Object.keys(carrier).sort(), ['baggage', 'traceparent']);
        assert.deepEqual(await ask({ trace: carrier }), {
          traceId: span.spanContext().traceId,
          spanId: span.spanContext().spanId,
          isRemote: true,
          tenant: 'acme',
        });
      }),
    );

    // With an SDK of its own, the worker's span joins the dispatching trace.
    let dispatch: { traceId: string; spanId: string } | undefined;
    const answer = await withSpan('dispatch with sdk', async (span) => {
      dispatch = span.spanContext();
      return ask({ trace: contextForWorker(), endpoint: receiver.httpUrl });
    });
    await sightline.flush();
    const spans = await receiver.waitFor(
      () =>
        receiver.spans.some((s) => s.name === 'worker task') &&
        receiver.spans.some((s) => s.name === 'dispatch with sdk') &&
        receiver.spans,
      { what: 'dispatch and worker spans' },
    );
    const worker = spans.find((s) => s.name === 'worker task');
    assert.ok(worker && dispatch);
    assert.equal(worker.spanId, answer.workerSpanId);
    assert.equal(worker.traceId, dispatch.traceId);
    assert.equal(worker.parentSpanId, dispatch.spanId);
    assert.equal(worker.resource['service.name'], 'worker');
  });

  it('gives a worker nothing outside a trace, and baggage alone when that is all there is', () => {
    const carrier = contextForWorker(ROOT_CONTEXT);
    assert.deepEqual(carrier, {});
    const baggageOnly = contextForWorker(setBaggage({ tenant: 'acme' }, ROOT_CONTEXT));
    assert.deepEqual(baggageOnly, { baggage: 'tenant=acme' });
  });
});
