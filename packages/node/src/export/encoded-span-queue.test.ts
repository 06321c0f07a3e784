import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { type EncodedSpanExporter, EncodedSpanQueue } from './encoded-span-queue.js';
import type { EncodedSpans } from './otlp-bytes-exporter.js';
import { OtlpTraceEncoder } from './otlp-trace-encoder.js';
import { SignalStats } from './signal-stats.js';

function makeSpans(n: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('queue-test');
  for (let i = 0; i < n; i++) tracer.startSpan(`span ${i}`, { attributes: { i } }).end();
  return memory.getFinishedSpans();
}

/** Records each request; answers with `answer` (synchronously unless `hold` is set). */
class RecordingExporter implements EncodedSpanExporter {
  readonly encoder = new OtlpTraceEncoder();
  readonly requests: EncodedSpans[] = [];
  readonly held: Array<() => void> = [];
  hold = false;
  answer: ExportResult = { code: ExportResultCode.SUCCESS };
  shutDown = false;

  exportEncoded(request: EncodedSpans, done: (result: ExportResult) => void): void {
    // A copy: the queue may reuse the buffer once the export succeeded.
    this.requests.push({ bytes: request.bytes.slice(), spanCount: request.spanCount });
    const finish = () => done(this.answer);
    if (this.hold) this.held.push(finish);
    else finish();
  }

  async shutdown(): Promise<void> {
    this.shutDown = true;
  }
}

const options = {
  maxQueueSize: 10,
  maxExportBatchSize: 4,
  scheduledDelayMillis: 60_000,
  exportTimeoutMillis: 30_000,
};

describe('encoded span queue', () => {
  it('encodes the spans of an event-loop turn together, before the next turn', async () => {
    const spans = makeSpans(3);
    const exporter = new RecordingExporter();
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, options, stats);
    for (const span of spans) queue.add(span);
    assert.equal(exporter.encoder.spanCount, 0, 'not encoded while the turn goes on');
    assert.equal(stats.queued, 3, 'but counted as queued at once');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(exporter.encoder.spanCount, 3);
    await queue.flush();
    assert.deepEqual(
      exporter.requests.map((r) => r.spanCount),
      [3],
    );
  });

  it('exports the spans that end while a flush awaits an export (regression)', async () => {
    const spans = makeSpans(3);
    const exporter = new RecordingExporter();
    exporter.hold = true;
    const queue = new EncodedSpanQueue(exporter, options, new SignalStats('traces', 'test'));
    queue.add(spans[0] as ReadableSpan);
    const flushed = queue.flush();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(exporter.requests.length, 1, 'the first export is held');
    // Ended during the flush, as responses finishing in the same poll phase as a SIGTERM would.
    queue.add(spans[1] as ReadableSpan);
    queue.add(spans[2] as ReadableSpan);
    exporter.hold = false;
    for (const finish of exporter.held.splice(0)) finish();
    await flushed;
    assert.equal(
      exporter.requests.reduce((n, r) => n + r.spanCount, 0),
      3,
    );
  });

  it('splits a turn with more spans than a batch into batches of the batch size', async () => {
    const spans = makeSpans(150);
    const exporter = new RecordingExporter();
    const queue = new EncodedSpanQueue(
      exporter,
      { ...options, maxQueueSize: 1000, maxExportBatchSize: 7 },
      new SignalStats('traces', 'test'),
    );
    for (const span of spans) queue.add(span);
    await queue.flush();
    assert.ok(exporter.requests.every((r) => r.spanCount <= 7));
    assert.equal(
      exporter.requests.reduce((n, r) => n + r.spanCount, 0),
      150,
    );
  });

  it('exports full batches as official-identical requests, one in flight at a time', async () => {
    const spans = makeSpans(9);
    const exporter = new RecordingExporter();
    exporter.hold = true;
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, options, stats);
    for (const span of spans) queue.add(span);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(exporter.requests.length, 1, 'the second full batch waits for the first');
    assert.equal(stats.queued, 9);
    exporter.hold = false;
    for (const finish of exporter.held.splice(0)) finish();
    await queue.flush();
    assert.deepEqual(
      exporter.requests.map((r) => r.spanCount),
      [4, 4, 1],
    );
    for (const [i, request] of exporter.requests.entries()) {
      const batch = spans.slice(i * 4, i * 4 + 4);
      assert.deepEqual(
        Buffer.from(request.bytes),
        Buffer.from(ProtobufTraceSerializer.serializeRequest(batch) as Uint8Array),
      );
    }
    assert.equal(stats.exported, 9);
    assert.equal(stats.queued, 0);
  });

  it('drops and counts spans beyond maxQueueSize while an export is stuck', async () => {
    const exporter = new RecordingExporter();
    exporter.hold = true;
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, options, stats);
    for (const span of makeSpans(14)) queue.add(span);
    assert.equal(stats.dropped.queue_full, 4);
    assert.equal(stats.queued, 10);
    exporter.hold = false;
    for (const finish of exporter.held.splice(0)) finish();
    await queue.flush();
    assert.equal(stats.exported, 10);
  });

  it('counts a failed export as dropped spans and carries on', async () => {
    const exporter = new RecordingExporter();
    exporter.answer = { code: ExportResultCode.FAILED, error: new Error('refused') };
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, options, stats);
    for (const span of makeSpans(5)) queue.add(span);
    await queue.flush();
    assert.equal(stats.dropped.export_failed, 5);
    assert.equal(stats.failures, 2);
    exporter.answer = { code: ExportResultCode.SUCCESS };
    for (const span of makeSpans(2)) queue.add(span);
    await queue.flush();
    assert.equal(stats.exported, 2);
  });

  it('exports a partial batch after scheduledDelayMillis, and everything on shutdown', async () => {
    const exporter = new RecordingExporter();
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, { ...options, scheduledDelayMillis: 10 }, stats);
    for (const span of makeSpans(2)) queue.add(span);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      exporter.requests.map((r) => r.spanCount),
      [2],
    );
    queue.add(makeSpans(1)[0] as ReadableSpan);
    await queue.shutdown();
    assert.deepEqual(
      exporter.requests.map((r) => r.spanCount),
      [2, 1],
    );
    assert.equal(exporter.shutDown, true);
    queue.add(makeSpans(1)[0] as ReadableSpan); // after shutdown: ignored, never thrown
    assert.equal(stats.exported, 3);
  });

  it('writes the resource attributes that arrive asynchronously into batches sealed before them', async () => {
    let settle: (value: string) => void = () => {};
    const resource = resourceFromAttributes({
      'service.name': 'async-resource',
      'cloud.region': new Promise<string>((resolve) => {
        settle = resolve;
      }),
    });
    // Collected as they end: SimpleSpanProcessor would wait for the resource itself.
    const spans: ReadableSpan[] = [];
    const provider = new TracerProvider({
      resource,
      spanProcessors: [
        {
          onStart: () => {},
          onEnd: (span) => spans.push(span),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    for (let i = 0; i < 5; i++) provider.getTracer('t').startSpan(`s${i}`).end();
    assert.equal(spans.length, 5);
    const exporter = new RecordingExporter();
    const stats = new SignalStats('traces', 'test');
    const ready = resource.waitForAsyncAttributes?.() ?? Promise.resolve();
    const queue = new EncodedSpanQueue(exporter, options, stats, ready);
    for (const span of spans) queue.add(span); // the first four are sealed at once
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(exporter.requests.length, 0, 'nothing is sent before the resource is ready');
    settle('eu-west-1');
    await queue.flush();
    assert.equal(spans[0]?.resource.attributes['cloud.region'], 'eu-west-1');
    assert.deepEqual(
      Buffer.from(exporter.requests[0]?.bytes ?? []),
      Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.slice(0, 4)) as Uint8Array),
    );
  });

  it('counts a batch whose resource cannot be read as failed, and carries on', async () => {
    const exporter = new RecordingExporter();
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, options, stats);
    const [good] = makeSpans(1) as [ReadableSpan];
    const badResource = {
      get attributes(): never {
        throw new Error('unreadable resource');
      },
    };
    const withBadResource = new Proxy(good, {
      get: (target, key) => (key === 'resource' ? badResource : Reflect.get(target, key)),
    });
    queue.add(withBadResource);
    await queue.flush();
    assert.equal(stats.dropped.export_failed, 1);
    assert.equal(exporter.requests.length, 0);
    queue.add(good);
    await queue.flush();
    assert.equal(stats.exported, 1);
  });

  it('leaves out a span that cannot be encoded, without throwing', async () => {
    const exporter = new RecordingExporter();
    const stats = new SignalStats('traces', 'test');
    const queue = new EncodedSpanQueue(exporter, options, stats);
    const [good] = makeSpans(1);
    const broken = {
      ...good,
      spanContext: () => {
        throw new Error('broken span');
      },
    } as unknown as ReadableSpan;
    queue.add(broken);
    queue.add(good as ReadableSpan);
    await queue.flush();
    assert.deepEqual(
      exporter.requests.map((r) => r.spanCount),
      [1],
    );
    assert.deepEqual(
      Buffer.from(exporter.requests[0]?.bytes ?? []),
      Buffer.from(ProtobufTraceSerializer.serializeRequest([good as ReadableSpan]) as Uint8Array),
    );
  });
});
