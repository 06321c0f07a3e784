import type { TracerProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { withRegistryHistograms } from '../metrics/registry-meter-provider.js';
import type { EnabledInstrumentation, InstrumentationContext } from './instrumentation-context.js';

/**
 * Points an OpenTelemetry contrib instrumentation (created with `enabled: false`) at Sightline's
 * providers, then enables its module hooks: `require-in-the-middle` for CommonJS and
 * `import-in-the-middle` for ESM (the latter needs the loader hook of `@sightline/node/register`).
 * `tracerProvider` may wrap Sightline's, e.g. to derive metrics from the contrib's spans.
 */
export function enableContrib(
  instrumentation: Instrumentation,
  context: InstrumentationContext,
  tracerProvider: TracerProvider = context.tracerProvider,
): EnabledInstrumentation {
  instrumentation.setTracerProvider(tracerProvider);
  // Their per-operation histograms are aggregated by Sightline's registry (metrics/registry-meter-provider.ts).
  instrumentation.setMeterProvider(withRegistryHistograms(context.meterProvider));
  instrumentation.enable();
  return { disable: () => instrumentation.disable() };
}
