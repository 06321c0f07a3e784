import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { LogLevel } from '../config/options.js';

const LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Routes OpenTelemetry's diagnostic logger to stderr at `OTEL_LOG_LEVEL`. This is where the SDK
 * reports its own trouble (export failures, dropped data, bad environment values) instead of
 * throwing into the app.
 */
export function configureDiagLogger(level: LogLevel): void {
  if (level === 'none') {
    diag.disable();
    return;
  }
  diag.setLogger(new DiagConsoleLogger(), {
    logLevel: LEVELS[level],
    suppressOverrideMessage: true,
  });
}
