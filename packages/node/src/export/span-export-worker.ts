// The export worker's entry: it rebuilds the spans the app's thread sends, and hands them to the
// official OTLP exporter, which encodes and sends them from here (DESIGN D2). Results go back by
// request id; the app's thread counts them and reports failures.
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedOtlp } from '../config/resolve.js';
import { createOtlpSpanExporter } from '../trace/otlp-span-exporter.js';
import type { ToWorker, WorkerReply } from './span-export-protocol.js';
import { TransferDecoder } from './span-transfer.js';

const port = parentPort;
if (port === null) throw new Error('span-export-worker runs only as a worker thread');
const { otlp } = workerData as { otlp: ResolvedOtlp };
const exporter = createOtlpSpanExporter(otlp);
const decoder = new TransferDecoder();
const reply = (message: WorkerReply): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'export') {
    try {
      if (message.definitions !== undefined) decoder.define(message.definitions);
      const spans = message.spans.map((span) => decoder.decode(span));
      exporter.export(spans, (result) =>
        reply({
          type: 'result',
          id: message.id,
          code: result.code,
          ...(result.error === undefined ? {} : { error: describe(result.error) }),
        }),
      );
    } catch (error) {
      reply({ type: 'result', id: message.id, code: 1, error: describe(error) });
    }
    return;
  }
  exporter.shutdown().then(
    () => reply({ type: 'shutdown' }),
    () => reply({ type: 'shutdown' }),
  );
});
reply({ type: 'ready' });

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
