import {
  createNoopMeter,
  type MeterProvider,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { createNoopLogger, type LoggerProvider } from '@opentelemetry/api-logs';
import type { ResolvedConfig } from '../config/resolve.js';
import type { SightlineHandle } from './handle.js';

/**
 * The handle of a disabled SDK: nothing is registered, so the OpenTelemetry API stays on its own
 * no-op path and costs what the bare API costs.
 */
export function createNoopHandle(config: ResolvedConfig, release: () => void): SightlineHandle {
  const meter = createNoopMeter();
  const meterProvider: MeterProvider = { getMeter: () => meter };
  // The API's proxy provider hands out no-op tracers until a real SDK registers.
  const tracerProvider: TracerProvider = trace.getTracerProvider();
  const logger = createNoopLogger();
  const loggerProvider: LoggerProvider = { getLogger: () => logger };
  return {
    enabled: false,
    tracerProvider,
    meterProvider,
    loggerProvider,
    config,
    flush: async () => {},
    shutdown: async () => {
      release();
    },
  };
}
