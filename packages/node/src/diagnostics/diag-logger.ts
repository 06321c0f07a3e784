import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
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
 * Writes every level to stderr: the app's stdout is the app's (the API's console logger would send
 * info and debug there). Messages may quote telemetry or environment values, so control characters
 * are escaped before they reach a terminal.
 */
export const stderrDiagLogger: DiagLogger = {
  error: (message, ...args) => write('error', message, args),
  warn: (message, ...args) => write('warn', message, args),
  info: (message, ...args) => write('info', message, args),
  debug: (message, ...args) => write('debug', message, args),
  verbose: (message, ...args) => write('verbose', message, args),
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function write(level: string, message: string, args: unknown[]): void {
  const extra = args
    .map((a) =>
      a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : safeJson(a),
    )
    .join(' ');
  const line = `${level}: ${message}${extra ? ` ${extra}` : ''}`.replace(
    CONTROL,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  process.stderr.write(`${line}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

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
  diag.setLogger(stderrDiagLogger, {
    logLevel: LEVELS[level],
    suppressOverrideMessage: true,
  });
}
