import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { EnabledInstrumentation, InstrumentationContext } from './instrumentation-context.js';

/**
 * Points an OpenTelemetry contrib instrumentation (created with `enabled: false`) at Sightline's
 * providers, then enables its module hooks: `require-in-the-middle` for CommonJS and
 * `import-in-the-middle` for ESM (the latter needs the loader hook of `@sightline/node/register`).
 */
export function enableContrib(
  instrumentation: Instrumentation,
  context: InstrumentationContext,
): EnabledInstrumentation {
  instrumentation.setTracerProvider(context.tracerProvider);
  instrumentation.setMeterProvider(context.meterProvider);
  instrumentation.enable();
  return { disable: () => instrumentation.disable() };
}
