import {
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
  TraceFlags,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace';
import { parentOf } from './parent-decision.js';

/** The samplers of a parent-based sampler: the SDK's `ParentBasedSampler` options. */
export interface ParentBasedSamplerConfig {
  /** For spans without a valid parent. */
  root: Sampler;
  /** Default: always on. */
  remoteParentSampled?: Sampler;
  /** Default: always off. */
  remoteParentNotSampled?: Sampler;
  /** Default: always on. */
  localParentSampled?: Sampler;
  /** Default: always off. */
  localParentNotSampled?: Sampler;
}

/**
 * The specification's ParentBased sampler (`parentbased_*` in `OTEL_TRACES_SAMPLER`, and the
 * default): the root sampler for spans without a valid parent, otherwise the sampler for a remote
 * or local parent that was or was not sampled. The SDK's `ParentBasedSampler` decides the same,
 * and describes itself the same; this one does not check again the ids of a Sightline parent span,
 * valid by construction (`parentOf`), which was most of a child span's decision cost.
 *
 * @example
 * new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) })
 */
export class ParentBasedSampler implements Sampler {
  private readonly root: Sampler;
  private readonly remoteParentSampled: Sampler;
  private readonly remoteParentNotSampled: Sampler;
  private readonly localParentSampled: Sampler;
  private readonly localParentNotSampled: Sampler;

  constructor(config: ParentBasedSamplerConfig) {
    this.root = config.root;
    this.remoteParentSampled = config.remoteParentSampled ?? new AlwaysOnSampler();
    this.remoteParentNotSampled = config.remoteParentNotSampled ?? new AlwaysOffSampler();
    this.localParentSampled = config.localParentSampled ?? new AlwaysOnSampler();
    this.localParentNotSampled = config.localParentNotSampled ?? new AlwaysOffSampler();
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = parentOf(context, traceId);
    let sampler: Sampler;
    if (parent === undefined) sampler = this.root;
    else {
      const sampled = (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
      if (parent.isRemote)
        sampler = sampled ? this.remoteParentSampled : this.remoteParentNotSampled;
      else sampler = sampled ? this.localParentSampled : this.localParentNotSampled;
    }
    return sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `ParentBased{root=${this.root.toString()}, remoteParentSampled=${this.remoteParentSampled.toString()}, remoteParentNotSampled=${this.remoteParentNotSampled.toString()}, localParentSampled=${this.localParentSampled.toString()}, localParentNotSampled=${this.localParentNotSampled.toString()}}`;
  }
}
