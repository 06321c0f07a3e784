import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { ResolvedConfig } from '../config/resolve.js';

/** What `init()` returns. */
export interface SightlineHandle {
  /** False when the SDK is disabled (`OTEL_SDK_DISABLED=true` or `enabled: false`): everything is a no-op. */
  readonly enabled: boolean;
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  /** The effective configuration after precedence and defaults. */
  readonly config: ResolvedConfig;
  /** Exports everything buffered now, bounded by `shutdown.timeoutMillis`. Never rejects. */
  flush(): Promise<void>;
  /** Flushes and stops all three signals, bounded by `shutdown.timeoutMillis`. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}
