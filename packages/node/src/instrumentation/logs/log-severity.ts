import { SeverityNumber } from '@opentelemetry/api';
import type { LogRecordLevel } from '../../config/options.js';

/** The lowest OpenTelemetry severity number of each level (the spec's TRACE, DEBUG … FATAL ranges). */
export const SEVERITY_OF_LEVEL: Readonly<Record<LogRecordLevel, SeverityNumber>> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
};

/** pino's default level numbers, used when a logger has no level of that name. */
export const PINO_DEFAULT_LEVELS: Readonly<Record<LogRecordLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

// The severities @opentelemetry/winston-transport gives winston's level names (otel, npm,
// syslog and cli levels); a span event is decided on the same scale as the exported record.
const WINSTON_SEVERITIES: Readonly<Record<string, SeverityNumber>> = {
  fatal: SeverityNumber.FATAL,
  emerg: SeverityNumber.FATAL3,
  alert: SeverityNumber.FATAL2,
  crit: SeverityNumber.FATAL,
  error: SeverityNumber.ERROR,
  warn: SeverityNumber.WARN,
  warning: SeverityNumber.WARN,
  notice: SeverityNumber.INFO2,
  help: SeverityNumber.INFO3,
  data: SeverityNumber.INFO2,
  info: SeverityNumber.INFO,
  http: SeverityNumber.DEBUG3,
  verbose: SeverityNumber.DEBUG2,
  debug: SeverityNumber.DEBUG,
  prompt: SeverityNumber.TRACE4,
  input: SeverityNumber.TRACE2,
  trace: SeverityNumber.TRACE,
  silly: SeverityNumber.TRACE,
};

/** The severity of a winston level name; unknown (custom) names are UNSPECIFIED. */
export function winstonSeverity(level: unknown): SeverityNumber {
  return (
    (typeof level === 'string' && Object.hasOwn(WINSTON_SEVERITIES, level)
      ? WINSTON_SEVERITIES[level]
      : undefined) ?? SeverityNumber.UNSPECIFIED
  );
}
