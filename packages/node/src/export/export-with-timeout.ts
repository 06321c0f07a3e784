import { context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';

/**
 * Runs one export with tracing suppressed (the exporter's own network calls must not be traced, or
 * export would feed itself). Resolves when the exporter reports or after `timeoutMillis`, whichever
 * comes first, so that a queue moves on; `onResult` still gets the outcome, once, when the
 * exporter's own timeout fires later. A throw from `send` is a failed result. Never rejects.
 */
export function exportWithTimeout(
  timeoutMillis: number,
  send: (done: (result: ExportResult) => void) => void,
  onResult: (result: ExportResult) => void = () => {},
): Promise<void> {
  return new Promise<void>((resolve) => {
    let movedOn = false;
    let reported = false;
    const timeout = setTimeout(() => {
      movedOn = true;
      resolve();
    }, timeoutMillis);
    timeout.unref();
    const done = (result: ExportResult): void => {
      if (reported) return;
      reported = true;
      onResult(result);
      if (movedOn) return;
      movedOn = true;
      clearTimeout(timeout);
      resolve();
    };
    context.with(suppressTracing(context.active()), () => {
      try {
        send(done);
      } catch (error) {
        done({ code: ExportResultCode.FAILED, error: error as Error });
      }
    });
  });
}
