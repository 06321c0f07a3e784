import { diag } from '@opentelemetry/api';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import {
  type LogInstrumentationFactoryOptions,
  type ResolvedLogInstrumentationOptions,
  resolveLogInstrumentationOptions,
} from './log-instrumentation-options.js';
import { tunePinoLogger } from './pino-logger-tuning.js';
import type { PinoLogger, PinoModule } from './pino-shapes.js';

/**
 * The contrib instrumentation with one wrapper around the `pino()` factory it patches: after the
 * contrib has set up a logger (correlation mixin, log-bridge stream), Sightline's `sendLevel` and
 * `spanEvents` are applied to it. The contrib's code is used as is (DESIGN D1).
 */
class SightlinePinoInstrumentation extends PinoInstrumentation {
  // Read when a logger is created; undefined only while the base constructor runs.
  private sightline: ResolvedLogInstrumentationOptions | undefined;

  constructor(options: ResolvedLogInstrumentationOptions) {
    super({
      enabled: options.enabled,
      disableLogCorrelation: !options.correlation,
      disableLogSending: !options.sending,
    });
    this.sightline = options;
  }

  protected override init() {
    const definitions = super.init();
    for (const definition of definitions) {
      const patch = definition.patch;
      if (patch)
        definition.patch = (exports: unknown, version?: string) =>
          this.wrapFactory(exports, patch(exports, version));
    }
    return definitions;
  }

  private wrapFactory(exports: unknown, patched: unknown): unknown {
    if (typeof patched !== 'function') return patched;
    const contribPino = patched as PinoModule;
    const wrapped = Object.assign((...args: unknown[]): PinoLogger => {
      const logger = contribPino(...args);
      const options = this.sightline;
      if (options && this.isEnabled()) {
        try {
          tunePinoLogger(logger, contribPino, options);
        } catch (error) {
          diag.warn('sightline: could not apply the pino log options', error);
        }
      }
      return logger;
    }, contribPino);
    if (typeof wrapped.pino === 'function') wrapped.pino = wrapped;
    if (typeof wrapped.default === 'function') wrapped.default = wrapped;
    // An ES module namespace (import-in-the-middle) is patched in place, as the contrib does.
    const namespace = exports as Record<string | symbol, unknown>;
    if (namespace[Symbol.toStringTag] === 'Module') {
      if (namespace.pino) namespace.pino = wrapped;
      namespace.default = wrapped;
    }
    return wrapped;
  }
}

/**
 * The `pino` instrumentation (registry name `pino`): the official
 * `@opentelemetry/instrumentation-pino`, configured for Sightline.
 *
 * - correlation: every record made inside a span gets `trace_id`, `span_id` and `trace_flags`;
 * - sending: every record at or above `sendLevel` is also emitted through the global OpenTelemetry
 *   LoggerProvider that `init()` registers (severity number and text mapped, the span's trace
 *   context on the record), and so exported over OTLP;
 * - spanEvents (opt-in): error and fatal records inside a recording span also become span events,
 *   `exception` when the record carries an `Error` (under `err`), `log` otherwise.
 *
 * Like every OTel instrumentation it hooks `require('pino')` when created (ESM apps also need the
 * import-in-the-middle loader hook registered). Pass `handle.config.logs.instrumentation` to honour
 * the `SIGHTLINE_LOG_*` variables. Invalid options throw `SIGHTLINE_ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { init } from '@sightline/node';
 * const sightline = init();
 * createPinoInstrumentation({ ...sightline.config.logs.instrumentation, spanEvents: true });
 * const logger = require('pino')();
 * ```
 */
export function createPinoInstrumentation(
  options?: LogInstrumentationFactoryOptions,
): PinoInstrumentation {
  return new SightlinePinoInstrumentation(resolveLogInstrumentationOptions(options));
}
