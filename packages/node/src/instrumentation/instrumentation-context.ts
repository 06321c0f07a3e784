import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { ResolvedConfig } from '../config/resolve.js';
import type { InstrumentationName } from './names.js';

/** What every instrumentation factory of the registry is given. */
export interface InstrumentationContext {
  /** The effective configuration; the instrumentation settings are `config.instrumentations`. */
  readonly config: ResolvedConfig;
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  /** Whether an instrumentation is selected in this run (http and undici share one subscriber). */
  isSelected(name: InstrumentationName): boolean;
}

/** An instrumentation that is on. `disable()` undoes it (called at shutdown); it must not throw. */
export interface EnabledInstrumentation {
  disable(): void;
}

/**
 * Turns one instrumentation on, or returns `undefined` when there is nothing to do (e.g. covered by
 * another entry). May throw: the registry reports the failure through `diag` and carries on.
 */
export type InstrumentationFactory = (
  context: InstrumentationContext,
) => EnabledInstrumentation | undefined;
