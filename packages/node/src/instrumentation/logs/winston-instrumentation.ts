import {
  WinstonInstrumentation,
  type WinstonInstrumentationConfig,
} from '@opentelemetry/instrumentation-winston';
import {
  type LogInstrumentationFactoryOptions,
  resolveLogInstrumentationOptions,
} from './log-instrumentation-options.js';
import { SEVERITY_OF_LEVEL } from './log-severity.js';
import { createWinstonLogHook } from './winston-log-hook.js';

/**
 * The `winston` instrumentation (registry name `winston`): the official
 * `@opentelemetry/instrumentation-winston` with `@opentelemetry/winston-transport`, configured for
 * Sightline.
 *
 * - correlation: every record made inside a span gets `trace_id`, `span_id` and `trace_flags`;
 * - sending: each logger gets an OpenTelemetry transport that emits every record at or above
 *   `sendLevel` through the global LoggerProvider `init()` registers (severity number and text
 *   mapped, the span's trace context on the record), and so exported over OTLP;
 * - spanEvents (opt-in): records at error severity or above (`error`, `crit`, `alert`, `emerg`,
 *   `fatal`) inside a recording span also become span events, `exception` when the record carries
 *   an `Error`, `log` otherwise.
 *
 * It hooks `require('winston')` when created; loggers created before are not instrumented. Pass
 * `handle.config.logs.instrumentation` to honour the `SIGHTLINE_LOG_*` variables. Invalid options
 * throw `SIGHTLINE_ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { init } from '@sightline/node';
 * const sightline = init();
 * createWinstonInstrumentation({ ...sightline.config.logs.instrumentation, sendLevel: 'info' });
 * const winston = require('winston');
 * ```
 */
export function createWinstonInstrumentation(
  options?: LogInstrumentationFactoryOptions,
): WinstonInstrumentation {
  const resolved = resolveLogInstrumentationOptions(options);
  const config: WinstonInstrumentationConfig = {
    enabled: resolved.enabled,
    // The contrib calls logHook only while correlation is on; the hook strips the fields again.
    disableLogCorrelation: !resolved.correlation && !resolved.spanEvents,
    disableLogSending: !resolved.sending,
  };
  if (resolved.sendLevel !== 'trace') config.logSeverity = SEVERITY_OF_LEVEL[resolved.sendLevel];
  if (resolved.spanEvents) config.logHook = createWinstonLogHook(resolved);
  return new WinstonInstrumentation(config);
}
