import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import type { Arena } from '../arena.js';
import type { ResolvedTelemetry, TelemetryFlags } from '../options.js';
import { VERSION } from '../version.js';
import { registerArenaMetrics } from './arena-metrics.js';
import { COUNTDOWN_IDLE, nextSampleDistance, representedBytes } from './byte-sampler.js';
import { type Api, loadApi } from './load-api.js';
import {
  ActivePattern,
  NOOP_PATTERN,
  type PatternScope,
  type PatternSummary,
} from './pattern-scope.js';

export { COUNTDOWN_IDLE };

/** A span that sampled allocations, pattern spans and events of this arena attach to. */
export interface ParentEntry {
  span: Span;
  context: Context;
}

const MAX_REMEMBERED_PATTERNS = 1024;

/**
 * The arena's telemetry, consulted only off the fast path: when the sampling countdown runs out,
 * when the arena grows, fills or resets, and when pattern or distributed scopes open and close.
 * Nothing here throws into the caller: failures are reported once through `diag`.
 *
 * The countdown has two modes. Normally the arena's own `_countdown` field is the distance to the
 * next sampled byte. While a pattern scope is open, the field is pinned to 1 so every allocation
 * reaches `onCountdown()` (to be added to the histogram), and the real distance is kept in
 * `remaining`. The fast path stays the same subtract and compare either way.
 */
export class ArenaTelemetry {
  readonly flags: TelemetryFlags;
  rate: number;
  /** Allocations chosen by the sampler. */
  samples = 0;
  readonly api: Api | null;
  readonly tracer: Tracer | undefined;
  private readonly arena: Arena;
  private readonly random: () => number;
  /** Distance beyond COUNTDOWN_IDLE still to count down before the next sample. */
  private carry = 0;
  /** The real countdown while pattern scopes pin the arena's field to 1. */
  private remaining = 0;
  private readonly patterns: ActivePattern[] = [];
  private readonly patternParents = new Map<ActivePattern, ParentEntry>();
  private readonly parents: ParentEntry[] = [];
  private readonly fingerprints = new Map<string, string>();
  private readonly unregisterMetrics: (() => void) | undefined;
  private reported = false;

  /** Null when every flag is off: counters only, nothing to consult. */
  static create(arena: Arena, settings: ResolvedTelemetry): ArenaTelemetry | null {
    const { spans, metrics, events, patterns, distributed } = settings;
    if (!(spans || metrics || events || patterns || distributed)) return null;
    return new ArenaTelemetry(arena, settings, loadApi());
  }

  private constructor(arena: Arena, settings: ResolvedTelemetry, api: Api | null) {
    this.arena = arena;
    this.api = api;
    this.flags = {
      spans: settings.spans,
      metrics: settings.metrics,
      events: settings.events,
      sampling: settings.sampling,
      patterns: settings.patterns,
      distributed: settings.distributed,
    };
    this.rate = settings.samplingRate;
    this.random = settings.random;
    let tracer: Tracer | undefined;
    let unregister: (() => void) | undefined;
    if (api) {
      try {
        if (settings.spans || settings.events || settings.patterns || settings.distributed) {
          tracer = (settings.tracerProvider?.getTracer('@sightline/arena', VERSION) ??
            api.trace.getTracer('@sightline/arena', VERSION)) as Tracer;
        }
        if (settings.metrics) unregister = registerArenaMetrics(api, arena, settings.meterProvider);
      } catch (error) {
        this.report(error);
      }
    }
    this.tracer = tracer;
    this.unregisterMetrics = unregister;
  }

  /** The countdown a new arena starts with. */
  firstCountdown(): number {
    return this.draw();
  }

  /** Distance to the next sample, capped at COUNTDOWN_IDLE (the rest goes to `carry`). */
  private draw(): number {
    if (!this.flags.spans) {
      this.carry = 0;
      return COUNTDOWN_IDLE;
    }
    const distance = nextSampleDistance(this.flags.sampling ? this.rate : 1, this.random);
    if (distance > COUNTDOWN_IDLE) {
      this.carry = distance - COUNTDOWN_IDLE;
      return COUNTDOWN_IDLE;
    }
    this.carry = 0;
    return distance;
  }

  /**
   * The arena's countdown reached zero or below during an allocation at `offset` (-1: it failed).
   * Returns the value to put back in the countdown field.
   */
  onCountdown(offset: number, size: number, alignment: number): number {
    const patterns = this.patterns;
    if (patterns.length === 0) return this.expire(offset, size, alignment, this.arena._countdown);
    // Pattern mode: every allocation lands here. Kept small so it inlines into the arena's _tick.
    if (offset !== -1) {
      if (patterns.length === 1) (patterns[0] as ActivePattern).record(size);
      else for (const pattern of patterns) pattern.record(size);
    }
    const remaining = this.remaining - size;
    this.remaining = remaining > 0 ? remaining : this.expire(offset, size, alignment, remaining);
    return 1;
  }

  /** The real countdown ran out: maybe record a sample, then draw the next distance. */
  private expire(offset: number, size: number, alignment: number, countdown: number): number {
    try {
      return this.expireUnsafe(offset, size, alignment, countdown);
    } catch (error) {
      this.report(error);
      return COUNTDOWN_IDLE;
    }
  }

  private expireUnsafe(offset: number, size: number, alignment: number, countdown: number): number {
    if (this.carry > 0) {
      const left = this.carry + countdown;
      if (left > 0) {
        const step = Math.min(left, COUNTDOWN_IDLE);
        this.carry = left - step;
        return step;
      }
      this.carry = 0;
    }
    if (this.flags.spans) this.sample(offset, size, alignment);
    return this.draw();
  }

  private sample(offset: number, size: number, alignment: number): void {
    this.samples++;
    const { api, tracer } = this;
    if (!api || !tracer) return;
    const rate = this.flags.sampling ? this.rate : 1;
    const attributes: Attributes = {
      'sightline.arena.name': this.arena.name,
      'sightline.arena.alloc.size': size,
      'sightline.arena.alloc.alignment': alignment,
      'sightline.arena.alloc.outcome': offset === -1 ? 'full' : 'ok',
      'sightline.arena.sampling.rate': rate,
      'sightline.arena.alloc.represented_bytes': Math.round(representedBytes(size, rate)),
    };
    if (this.arena.zoneName !== undefined) attributes['sightline.arena.zone'] = this.arena.zoneName;
    if (offset !== -1) attributes['sightline.arena.alloc.offset'] = offset;
    const parent = this.parents.at(-1)?.context ?? api.context.active();
    tracer
      .startSpan('sightline.arena.alloc', { kind: api.SpanKind.INTERNAL, attributes }, parent)
      .end();
  }

  /** Changes the rate; returns the value for the arena's countdown field. */
  setRate(rate: number): number {
    this.rate = rate;
    if (this.patterns.length > 0) {
      this.remaining = this.draw();
      return 1;
    }
    return this.draw();
  }

  onGrow(): void {
    if (this.flags.events) {
      this.event('sightline.arena.grow', {
        'sightline.arena.chunks': this.arena.chunks.length,
        'sightline.arena.capacity': this.arena.capacity,
      });
    }
  }

  /** A failed allocation: sampled as if it had been allocated (its own draw), and an event. */
  onFull(size: number, alignment: number): void {
    if (this.flags.spans) {
      const rate = this.flags.sampling ? this.rate : 1;
      try {
        if (
          rate > 0 &&
          this.random() < -Math.expm1(size * Math.log1p(-Math.min(rate, 1 - 1e-16)))
        ) {
          this.sample(-1, size, alignment);
        }
      } catch (error) {
        this.report(error);
      }
    }
    if (this.flags.events) {
      this.event('sightline.arena.full', {
        'sightline.arena.alloc.size': size,
        'sightline.arena.used': this.arena.used,
        'sightline.arena.capacity': this.arena.capacity,
      });
    }
  }

  onReset(usedBefore: number): void {
    if (this.flags.events)
      this.event('sightline.arena.reset', { 'sightline.arena.used': usedBefore });
  }

  /** An event on the innermost arena scope's span, else on the active span, when it records. */
  private event(name: string, attributes: Attributes): void {
    const { api } = this;
    if (!api) return;
    try {
      const span = this.parents.at(-1)?.span ?? api.trace.getActiveSpan();
      if (!span?.isRecording()) return;
      attributes['sightline.arena.name'] = this.arena.name;
      if (this.arena.zoneName !== undefined)
        attributes['sightline.arena.zone'] = this.arena.zoneName;
      span.addEvent(name, attributes);
    } catch (error) {
      this.report(error);
    }
  }

  /** Makes `entry` the parent of this arena's allocation and pattern spans until removed. */
  pushParent(entry: ParentEntry): void {
    this.parents.push(entry);
  }

  removeParent(entry: ParentEntry): void {
    const index = this.parents.lastIndexOf(entry);
    if (index !== -1) this.parents.splice(index, 1);
  }

  openPattern(name: string): PatternScope {
    if (!this.flags.patterns) return NOOP_PATTERN;
    const scope = new ActivePattern(name, (s) => this.closePattern(s));
    const { api, tracer } = this;
    if (api && tracer) {
      try {
        const parent = this.parents.at(-1)?.context ?? api.context.active();
        const span = tracer.startSpan(
          name,
          {
            kind: api.SpanKind.INTERNAL,
            attributes: {
              'sightline.arena.name': this.arena.name,
              'sightline.arena.pattern.name': name,
              ...(this.arena.zoneName === undefined
                ? {}
                : { 'sightline.arena.zone': this.arena.zoneName }),
            },
          },
          parent,
        );
        const entry = { span, context: api.trace.setSpan(parent, span) };
        this.patternParents.set(scope, entry);
        this.pushParent(entry);
      } catch (error) {
        this.report(error);
      }
    }
    if (this.patterns.length === 0) {
      // Pin the countdown so every allocation reaches onCountdown() while a pattern is open.
      this.remaining = this.arena._countdown;
      this.arena._rearm(1);
    }
    this.patterns.push(scope);
    return scope;
  }

  private closePattern(scope: ActivePattern): PatternSummary {
    const index = this.patterns.indexOf(scope);
    if (index !== -1) this.patterns.splice(index, 1);
    if (this.patterns.length === 0) this.arena._rearm(this.remaining);
    const fingerprint = scope.fingerprint();
    const previous = this.fingerprints.get(scope.name);
    const changed = previous !== undefined && previous !== fingerprint;
    if (previous !== undefined || this.fingerprints.size < MAX_REMEMBERED_PATTERNS) {
      this.fingerprints.set(scope.name, fingerprint);
    }
    const summary: PatternSummary = {
      name: scope.name,
      allocations: scope.allocations,
      bytes: scope.bytes,
      fingerprint,
      histogram: scope.histogram(),
      changed,
      previousFingerprint: changed ? previous : undefined,
    };
    const entry = this.patternParents.get(scope);
    if (entry) {
      this.patternParents.delete(scope);
      this.removeParent(entry);
      try {
        const { span } = entry;
        span.setAttributes({
          'sightline.arena.pattern.allocations': summary.allocations,
          'sightline.arena.pattern.bytes': summary.bytes,
          'sightline.arena.pattern.fingerprint': fingerprint,
          'sightline.arena.pattern.histogram': summary.histogram,
          'sightline.arena.pattern.changed': changed,
        });
        if (changed && previous !== undefined) {
          span.setAttribute('sightline.arena.pattern.previous_fingerprint', previous);
          span.addEvent('sightline.arena.pattern.changed', {
            'sightline.arena.pattern.fingerprint': fingerprint,
            'sightline.arena.pattern.previous_fingerprint': previous,
          });
        }
        span.end();
      } catch (error) {
        this.report(error);
      }
    }
    return summary;
  }

  close(): void {
    this.unregisterMetrics?.();
  }

  /** Reports a telemetry failure once per arena; telemetry never throws into the app. */
  report(error: unknown): void {
    if (this.reported) return;
    this.reported = true;
    try {
      this.api?.diag.warn(
        `@sightline/arena: telemetry of arena "${this.arena.name}" failed`,
        error,
      );
    } catch {
      // Nothing left to report through.
    }
  }
}
