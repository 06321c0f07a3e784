import { diag } from '@opentelemetry/api';
import type { LogRecordLevel } from '../../config/options.js';
import type { ResolvedLogInstrumentationOptions } from './log-instrumentation-options.js';
import { PINO_DEFAULT_LEVELS } from './log-severity.js';
import { forwardFlush } from './pino-flush.js';
import {
  isMultiStream,
  type PinoLogger,
  type PinoModule,
  type PinoStreamEntry,
} from './pino-shapes.js';
import { createSpanEventStream } from './pino-span-event-stream.js';

let warnedNoBridge = false;

/** The contrib's log-bridge stream (instrumentation-pino names its class so; it exports nothing else). */
function isBridgeStream(entry: PinoStreamEntry): boolean {
  return (
    (entry.stream as { constructor?: { name?: string } }).constructor?.name === 'OTelPinoStream'
  );
}

function levelNumber(logger: PinoLogger, level: LogRecordLevel): number {
  return logger.levels.values[level] ?? PINO_DEFAULT_LEVELS[level];
}

/**
 * What Sightline adds to a logger the contrib instrumentation-pino has just set up: the least severe
 * level that is sent (`sendLevel`) and, opt-in, the span-event stream (`spanEvents`). Both are
 * entries of the `pino.multistream()` the contrib writes through, so pino itself filters by level
 * and a record below them costs nothing. That multistream also gets a working `flush(cb)`.
 */
export function tunePinoLogger(
  logger: PinoLogger,
  pino: PinoModule,
  options: ResolvedLogInstrumentationOptions,
): void {
  const { streamSym, errorKeySym } = pino.symbols;
  const stream = logger[streamSym];
  const multi = isMultiStream(stream) ? stream : undefined;
  const bridge = multi?.streams.find(isBridgeStream);

  if (options.sending && options.sendLevel !== 'trace') {
    if (multi && bridge?.id !== undefined) {
      // The entries are kept sorted by level and a write stops at the first one above the
      // record's level, so the entry is re-added rather than edited in place.
      multi.remove(bridge.id);
      multi.add({ stream: bridge.stream, level: levelNumber(logger, options.sendLevel) });
    } else if (!warnedNoBridge) {
      warnedNoBridge = true;
      diag.warn(
        'sightline: could not find the pino log bridge stream; logs.instrumentation.sendLevel is not applied',
      );
    }
  }

  if (multi && bridge) forwardFlush(multi);

  if (options.spanEvents) {
    const entry = {
      stream: createSpanEventStream(errorKeySym),
      level: levelNumber(logger, 'error'),
    };
    // The bridge's multistream belongs to this logger alone; any other stream may be shared by
    // several loggers (the app's own multistream), so it is wrapped instead of added to.
    if (multi && bridge) multi.add(entry);
    else if (typeof pino.multistream === 'function') {
      const wrapper = pino.multistream(
        [{ stream: stream as PinoStreamEntry['stream'], level: 0 }, entry],
        { levels: logger.levels.values },
      );
      forwardFlush(wrapper);
      logger[streamSym] = wrapper;
    }
  }
}
