import type { PinoMultiStream } from './pino-shapes.js';

type FlushCallback = (error?: Error | null) => void;
interface Flushable {
  flush(callback: FlushCallback): void;
}

/**
 * Gives a `pino.multistream()` the `flush(callback)` it lacks. `logger.flush(cb)` calls the
 * destination's `flush` when there is one and otherwise calls `cb` at once, so once the log bridge
 * has put a multistream in front of an asynchronous destination (`pino.destination({ sync: false })`),
 * `cb` would run before the buffered lines are written. This flushes every entry that can be
 * flushed and calls back when all have, with the first error.
 */
export function forwardFlush(multi: PinoMultiStream): void {
  if (typeof (multi as Partial<Flushable>).flush === 'function') return;
  (multi as PinoMultiStream & Flushable).flush = (callback) => {
    const flushable = multi.streams
      .map((entry) => entry.stream as Partial<Flushable>)
      .filter((stream): stream is Flushable => typeof stream.flush === 'function');
    let pending = flushable.length;
    if (pending === 0) {
      callback();
      return;
    }
    let firstError: Error | null | undefined;
    for (const stream of flushable) {
      stream.flush((error) => {
        firstError ??= error;
        pending -= 1;
        if (pending === 0) callback(firstError);
      });
    }
  };
}
