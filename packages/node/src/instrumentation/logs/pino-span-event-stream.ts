import { diag, trace } from '@opentelemetry/api';
import { addLogSpanEvent } from './log-span-event.js';
import type { PinoLogger } from './pino-shapes.js';

// pino (and pino.multistream) hand a stream that carries this symbol the record's level, merge
// object and message before each write, so nothing has to be parsed back from the JSON line.
const PINO_METADATA = Symbol.for('pino.metadata');

/** A pino destination that turns each record written to it into an event on the active span. */
export interface SpanEventStream {
  readonly [PINO_METADATA]: true;
  lastLevel: number;
  lastObj: Record<string, unknown> | undefined;
  lastMsg: unknown;
  lastLogger: PinoLogger | undefined;
  write(line: string): void;
}

/**
 * A stream for the error and fatal levels of a pino logger (the multistream entry's level does the
 * filtering). The write happens synchronously inside the app's log call, so the active span is the
 * one the record was made in. An `Error` under the logger's error key (`err` by default) makes the
 * event an `exception`; see `addLogSpanEvent`.
 */
export function createSpanEventStream(errorKeySym: symbol): SpanEventStream {
  let warned = false;
  return {
    [PINO_METADATA]: true,
    lastLevel: 0,
    lastObj: undefined,
    lastMsg: undefined,
    lastLogger: undefined,
    write() {
      try {
        const span = trace.getActiveSpan();
        if (span === undefined || !span.isRecording()) return;
        const logger = this.lastLogger;
        const errorKey = (logger?.[errorKeySym] as string | undefined) ?? 'err';
        const error = this.lastObj?.[errorKey];
        addLogSpanEvent(span, {
          severityText: logger?.levels.labels[this.lastLevel] ?? String(this.lastLevel),
          message: this.lastMsg,
          error: error instanceof Error ? error : undefined,
        });
      } catch (error) {
        if (!warned) diag.warn('sightline: pino span event failed (reported once)', error);
        warned = true;
      }
    },
  };
}
