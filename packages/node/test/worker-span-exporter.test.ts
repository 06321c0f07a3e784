import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DiagLogLevel,
  diag,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { ResolvedOtlp } from '../src/config/resolve.js';
import { WorkerSpanExporter } from '../src/export/worker-span-exporter.js';
import { createOtlpSpanExporter } from '../src/trace/otlp-span-exporter.js';
import { type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.js';

/** Finished spans with everything a span can carry: parent, remote parent, links, events, status. */
function makeSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'worker-test', 'deployment.id': 7 }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('scope-a', '1.2.3');
  const other = provider.getTracer('scope-b');
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState('vendor=a,other=b'),
  });
  const root = tracer.startSpan('root', { kind: SpanKind.SERVER, attributes: { n: 1 } }, remote);
  const child = other.startSpan(
    'child',
    {
      kind: SpanKind.CLIENT,
      attributes: { list: ['a', 'b'], flag: true, ratio: 0.5 },
      links: [{ context: root.spanContext(), attributes: { 'link.kind': 'batch' } }],
    },
    trace.setSpan(remote, root),
  );
  child.addEvent('retry', { attempt: 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream said no' });
  child.end();
  root.end();
  for (let i = 0; i < 50; i++) tracer.startSpan(`bulk ${i}`).end();
  return memory.getFinishedSpans();
}

function exportWith(
  exporter: { export: WorkerSpanExporter['export'] },
  spans: ReadableSpan[],
): Promise<number> {
  return new Promise((resolve) => exporter.export(spans, (result) => resolve(result.code)));
}

/** Encodes the spans with the exporter's own encoder and sends them as one request. */
function sendEncoded(exporter: WorkerSpanExporter, spans: ReadableSpan[]): Promise<number> {
  return new Promise((resolve) =>
    exporter.exportEncoded(
      { bytes: exporter.encoder.encode(spans), spanCount: spans.length },
      (result) => resolve(result.code),
    ),
  );
}

function otlpTo(
  url: string,
  protocol: ResolvedOtlp['protocol'] = 'http/protobuf',
  extra: Partial<ResolvedOtlp> = {},
): ResolvedOtlp {
  return {
    url: protocol === 'grpc' ? url : `${url}/v1/traces`,
    protocol,
    headers: {},
    timeoutMillis: 5000,
    compression: 'none',
    ...extra,
  };
}

async function untilReady(exporter: WorkerSpanExporter): Promise<void> {
  const internals = exporter as unknown as { ready: boolean };
  for (let i = 0; i < 150 && !internals.ready; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(internals.ready, true, 'the worker started');
}

/** What must arrive the same whichever thread encoded it (timestamps included). */
function comparable(spans: ReceivedSpan[]) {
  return [...spans]
    .sort((a, b) => a.spanId.localeCompare(b.spanId))
    .map(({ startTimeUnixNano, endTimeUnixNano, ...rest }) => ({
      ...rest,
      start: String(startTimeUnixNano),
      end: String(endTimeUnixNano),
    }));
}

describe('worker span exporter', () => {
  it('delivers exactly what the in-thread official exporter delivers', async () => {
    const spans = makeSpans();
    const viaThread = await startOtlpReceiver();
    const viaWorker = await startOtlpReceiver();
    const worker = new WorkerSpanExporter(otlpTo(viaWorker.httpUrl));
    const inThread = createOtlpSpanExporter(otlpTo(viaThread.httpUrl));
    try {
      assert.equal(await exportWith(inThread, spans), 0);
      // Until the worker says it is ready, batches go out on this thread; wait for it.
      await exportWith(worker, spans.slice(0, 1));
      viaWorker.reset();
      for (let i = 0; i < 100 && !(worker as unknown as { ready: boolean }).ready; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal((worker as unknown as { ready: boolean }).ready, true, 'the worker started');
      assert.equal(await exportWith(worker, spans), 0);
      assert.equal(viaWorker.spans.length, spans.length);
      assert.deepEqual(comparable(viaWorker.spans), comparable(viaThread.spans));
      const child = viaWorker.spans.find((s) => s.name === 'child');
      // Children inherit the remote parent's trace state; it survives the crossing.
      assert.equal(child?.traceState, 'vendor=a,other=b');
      assert.equal(viaWorker.spans.find((s) => s.name === 'root')?.traceState, 'vendor=a,other=b');
      assert.equal(child?.links[0]?.attributes['link.kind'], 'batch');
      assert.deepEqual(
        child?.events.map((e) => e.attributes),
        [{ attempt: 2 }],
      );
      assert.equal(child?.status.message, 'upstream said no');
    } finally {
      await worker.shutdown();
      await inThread.shutdown();
      await viaThread.stop();
      await viaWorker.stop();
    }
  });

  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    it(`sends over ${protocol} from the worker, with headers and gzip, what the official exporter sends`, async () => {
      const spans = makeSpans();
      const receiver = await startOtlpReceiver({ grpc: true });
      const url = (protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl) as string;
      const extra = { headers: { 'x-api-key': 'secret-key' }, compression: 'gzip' as const };
      const worker = new WorkerSpanExporter(otlpTo(url, protocol, extra));
      const inThread = createOtlpSpanExporter(otlpTo(url, protocol, extra));
      try {
        assert.equal(await exportWith(inThread, spans), 0);
        const expected = comparable(receiver.spans);
        await exportWith(worker, spans.slice(0, 1));
        await untilReady(worker);
        receiver.reset();
        // Twice: the second batch is encoded into the buffer the first one gave back.
        for (let round = 0; round < 2; round++) {
          assert.equal(await exportWith(worker, spans), 0);
          assert.deepEqual(comparable(receiver.spans), expected);
          receiver.reset();
        }
        assert.equal(await exportWith(worker, spans), 0);
        const request = receiver.requests.at(-1);
        assert.equal(request?.headers['x-api-key'], 'secret-key');
        assert.equal(request?.gzip, true);
      } finally {
        await worker.shutdown();
        await inThread.shutdown();
        await receiver.stop();
      }
    });
  }

  it('re-exports unanswered batches on this thread when the worker dies, warning once', async () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        warn: (m: string) => warnings.push(m),
        error: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    const receiver = await startOtlpReceiver();
    const exporter = new WorkerSpanExporter(otlpTo(receiver.httpUrl));
    const spans = makeSpans();
    try {
      await exportWith(exporter, spans.slice(0, 1)); // starts the worker
      const internals = exporter as unknown as {
        ready: boolean;
        worker: { terminate(): Promise<number> };
      };
      for (let i = 0; i < 100 && !internals.ready; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      receiver.reset();
      const inFlight = exportWith(exporter, spans);
      await internals.worker.terminate(); // the worker dies with the batch unanswered
      assert.equal(await inFlight, 0, 'the batch still succeeds');
      assert.equal(await exportWith(exporter, spans.slice(0, 3)), 0);
      const delivered = receiver.spans.map((s) => s.name);
      for (const span of spans) assert.ok(delivered.includes(span.name), span.name);
      assert.equal(warnings.filter((w) => /span export worker stopped/.test(w)).length, 1);
    } finally {
      diag.disable();
      await exporter.shutdown();
      await receiver.stop();
    }
  });

  it('fails an encoded request the dying worker held, and sends later ones from this thread', async () => {
    const receiver = await startOtlpReceiver();
    const exporter = new WorkerSpanExporter(otlpTo(receiver.httpUrl));
    const spans = makeSpans();
    const send = (batch: ReadableSpan[]) => sendEncoded(exporter, batch);
    try {
      assert.equal(
        await send(spans.slice(0, 1)),
        0,
        'sent from this thread while the worker starts',
      );
      await untilReady(exporter);
      assert.equal(await send(spans), 0, 'sent by the worker');
      receiver.reset();
      const inFlight = send(spans);
      await (
        exporter as unknown as { worker: { terminate(): Promise<number> } }
      ).worker.terminate();
      // Its bytes went to the worker: the request fails (the queue counts it as dropped).
      assert.equal(await inFlight, 1);
      assert.equal(await send(spans.slice(0, 3)), 0);
      assert.deepEqual(
        receiver.spans.map((s) => s.name).slice(-3),
        spans.slice(0, 3).map((s) => s.name),
      );
    } finally {
      await exporter.shutdown();
      await receiver.stop();
    }
  });

  it('with worker: false, sends from this thread, never starting a worker', async () => {
    const spans = makeSpans();
    const receiver = await startOtlpReceiver();
    const official = await startOtlpReceiver();
    const exporter = new WorkerSpanExporter(otlpTo(receiver.httpUrl), { worker: false });
    const inThread = createOtlpSpanExporter(otlpTo(official.httpUrl));
    const internals = exporter as unknown as { worker: unknown; ready: boolean };
    const spare = (exporter.encoder as unknown as { spare: ArrayBuffer[] }).spare;
    const send = (batch: ReadableSpan[]) => sendEncoded(exporter, batch);
    try {
      assert.equal(await exportWith(inThread, spans), 0);
      // Twice: the second request is written into the buffer the first one gave back.
      for (let round = 0; round < 2; round++) {
        assert.equal(await send(spans), 0);
        assert.deepEqual(comparable(receiver.spans), comparable(official.spans));
        assert.equal(spare.length, 1, 'the sent buffer came back for reuse');
        receiver.reset();
      }
      // Span objects (an exporter used on its own) go through the official exporter here.
      assert.equal(await exportWith(exporter, spans), 0);
      assert.deepEqual(comparable(receiver.spans), comparable(official.spans));
      assert.equal(internals.worker, undefined, 'no worker was started');
      assert.equal(internals.ready, false);
    } finally {
      await exporter.shutdown();
      await inThread.shutdown();
      await receiver.stop();
      await official.stop();
    }
  });

  it('fails exports after shutdown instead of throwing', async () => {
    const receiver = await startOtlpReceiver();
    const exporter = new WorkerSpanExporter(otlpTo(receiver.httpUrl));
    await exporter.shutdown();
    assert.equal(await exportWith(exporter, makeSpans()), 1);
    await receiver.stop();
  });
});
