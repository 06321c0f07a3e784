import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import type { ResolvedSampler } from '../config/resolve.js';
import { AdaptiveSampler } from '../sampling/adaptive-sampler.js';
import { ErrorBiasedSampler } from '../sampling/error-biased-sampler.js';
import { ParentBasedSampler } from '../sampling/parent-based-sampler.js';
import { RulesSampler } from '../sampling/rules-sampler.js';

/**
 * The head sampler named by `OTEL_TRACES_SAMPLER`, with `OTEL_TRACES_SAMPLER_ARG` as its ratio (or,
 * for `sightline_adaptive`, its target rate) and `SIGHTLINE_SAMPLING_RULES` for `sightline_rules`.
 * Sightline's own samplers follow the parent's decision for spans that have one.
 */
export function createSampler(options: ResolvedSampler): Sampler {
  const { ratio } = options;
  switch (options.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'sightline_adaptive':
      return new AdaptiveSampler({ targetPerSecond: options.targetPerSecond });
    case 'sightline_rules':
      return new RulesSampler({ rules: options.rules, defaultRatio: ratio });
    case 'sightline_error_biased':
      return new ErrorBiasedSampler({ ratio });
  }
}
