/**
 * The few parts of pino's public API the pino instrumentation touches (`pino.symbols`,
 * `pino.multistream`, `logger.levels`), typed locally: pino is the app's dependency, not ours.
 */

export interface PinoStreamEntry {
  stream: { write(line: string): unknown };
  level: number;
  id?: number;
}

/** What `pino.multistream()` returns. */
export interface PinoMultiStream {
  write(line: string): void;
  add(entry: { stream: PinoStreamEntry['stream']; level: number }): PinoMultiStream;
  remove(id: number): PinoMultiStream;
  streams: PinoStreamEntry[];
}

export interface PinoLogger {
  levels: { values: Record<string, number>; labels: Record<number, string> };
  [key: symbol]: unknown;
}

/** The `pino` module: a logger factory with its helpers as properties. */
export interface PinoModule {
  (...args: unknown[]): PinoLogger;
  symbols: { streamSym: symbol; errorKeySym: symbol };
  multistream?: (
    streams: Array<{ stream: PinoStreamEntry['stream']; level: number }>,
    options?: { levels?: Record<string, number> },
  ) => PinoMultiStream;
  [key: string]: unknown;
}

/** Whether `stream` is a `pino.multistream()`. */
export function isMultiStream(stream: unknown): stream is PinoMultiStream {
  const candidate = stream as Partial<PinoMultiStream> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.streams) &&
    typeof candidate.add === 'function' &&
    typeof candidate.remove === 'function'
  );
}
