// The export worker's entry (DESIGN D2): it sends the OTLP requests the app's thread encoded (or,
// for OTLP JSON, rebuilds the spans it sent and hands them to the official exporter). Results go
// back by request id; the app's thread counts them and reports failures.

import { parentPort, workerData } from 'node:worker_threads';
import type { ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedOtlp } from '../config/resolve.js';
import { createOtlpSpanExporter } from '../trace/otlp-span-exporter.js';
import { createOtlpBytesExporter, type OtlpBytesExporter } from './otlp-bytes-exporter.js';
import type { ToWorker, WorkerReply } from './span-export-protocol.js';
import { TransferDecoder } from './span-transfer.js';

const port = parentPort;
if (port === null) throw new Error('span-export-worker runs only as a worker thread');
const { otlp } = workerData as { otlp: ResolvedOtlp };
const protobuf: OtlpBytesExporter | undefined =
  otlp.protocol === 'http/json' ? undefined : createOtlpBytesExporter(otlp);
const json: SpanExporter | undefined =
  otlp.protocol === 'http/json' ? createOtlpSpanExporter(otlp) : undefined;
const decoder = new TransferDecoder();

function answer(id: number, result: ExportResult, buffer?: ArrayBuffer): void {
  const reply: WorkerReply = {
    type: 'result',
    id,
    code: result.code,
    ...(result.error === undefined ? {} : { error: describe(result.error) }),
    ...(buffer === undefined ? {} : { buffer }),
  };
  port?.postMessage(reply, buffer === undefined ? [] : [buffer]);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'shutdown') {
    Promise.allSettled([protobuf?.shutdown(), json?.shutdown()]).then(() =>
      port.postMessage({ type: 'shutdown' } satisfies WorkerReply),
    );
    return;
  }
  const { id } = message;
  try {
    if (message.type === 'otlp') {
      if (protobuf === undefined) throw new Error(`OTLP ${otlp.protocol} takes spans, not bytes`);
      protobuf.export({ bytes: message.bytes, spanCount: message.spanCount }, (result) =>
        // Sent and answered: nothing reads the buffer any more, so it can go back for reuse. After
        // a failure the transport may still hold it (a timed-out write), so it stays here.
        answer(id, result, result.code === 0 ? message.bytes.buffer : undefined),
      );
      return;
    }
    if (json === undefined) throw new Error(`OTLP ${otlp.protocol} takes bytes, not spans`);
    if (message.definitions !== undefined) decoder.define(message.definitions);
    json.export(
      message.spans.map((span) => decoder.decode(span)),
      (result) => answer(id, result),
    );
  } catch (error) {
    answer(id, { code: 1, error: error instanceof Error ? error : new Error(String(error)) });
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
