import type {
  Attributes,
  BatchObservableResult,
  Meter,
  Observable,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
} from '@opentelemetry/api';
import type { Arena } from '../arena.js';
import type { MeterProviderLike } from '../options.js';
import { VERSION } from '../version.js';
import { type Api, loadApi } from './load-api.js';

type ArenaSet = Set<WeakRef<Arena>>;

/** Arenas that report to the global meter provider, whichever provider that is at collection. */
const globalArenas: ArenaSet = new Set();
/** Providers whose meter already has the instruments, and which arenas each one observes. */
const bound = new WeakMap<object, ArenaSet>();

/**
 * @internal Registers an arena's metrics; returns the function that unregisters it. The instruments are
 * created once per meter provider and read every registered arena in one batch callback at
 * collection time: the allocation path never touches a meter.
 */
export function registerArenaMetrics(
  api: Api,
  arena: Arena,
  provider: MeterProviderLike | undefined,
): () => void {
  let set: ArenaSet;
  if (provider) {
    set = bound.get(provider) ?? bind(provider, new Set());
  } else {
    set = globalArenas;
    const global = api.metrics.getMeterProvider();
    if (!bound.has(global)) bind(global, globalArenas);
  }
  const ref = new WeakRef(arena);
  set.add(ref);
  return () => {
    set.delete(ref);
  };
}

/**
 * Makes the global meter provider (or `meterProvider`) report every arena that reports to the
 * global provider. Needed only for arenas created before the app registered its SDK (for example
 * at module load, before `init()`); arenas created later bind on their own.
 *
 * @example
 * ```ts
 * const arena = new Arena({ name: 'early' }); // before init(): the global provider is a no-op
 * init();
 * bindArenaMetrics();
 * ```
 */
export function bindArenaMetrics(meterProvider?: MeterProviderLike): boolean {
  const api = loadApi();
  if (!api) return false;
  const provider = meterProvider ?? api.metrics.getMeterProvider();
  if (bound.get(provider) === globalArenas) return true;
  bind(provider, globalArenas);
  return true;
}

interface Instruments {
  capacity: ObservableUpDownCounter;
  used: ObservableUpDownCounter;
  highWaterMark: ObservableGauge;
  fragmentation: ObservableGauge;
  allocations: ObservableCounter;
  bytesAllocated: ObservableCounter;
  resets: ObservableCounter;
  failures: ObservableCounter;
}

function bind(provider: MeterProviderLike, set: ArenaSet): ArenaSet {
  const meter = provider.getMeter('@sightline/arena', VERSION) as Meter;
  const instruments: Instruments = {
    capacity: meter.createObservableUpDownCounter('sightline.arena.capacity', {
      description: 'Bytes the arena can hand out: its buffer, its chunks, or its zone reservation',
      unit: 'By',
    }),
    used: meter.createObservableUpDownCounter('sightline.arena.used', {
      description: 'Bytes consumed: live allocations, alignment padding and abandoned chunk tails',
      unit: 'By',
    }),
    highWaterMark: meter.createObservableGauge('sightline.arena.high_water_mark', {
      description: 'The largest sightline.arena.used seen since the arena was created',
      unit: 'By',
    }),
    fragmentation: meter.createObservableGauge('sightline.arena.fragmentation', {
      description: 'Share of used bytes that hold no live data: (used - live) / used',
      unit: '1',
    }),
    allocations: meter.createObservableCounter('sightline.arena.allocations', {
      description: 'Successful allocations',
      unit: '{allocation}',
    }),
    bytesAllocated: meter.createObservableCounter('sightline.arena.allocated', {
      description: 'Bytes requested by successful allocations',
      unit: 'By',
    }),
    resets: meter.createObservableCounter('sightline.arena.resets', {
      description: 'Calls to reset()',
      unit: '{reset}',
    }),
    failures: meter.createObservableCounter('sightline.arena.failures', {
      description: 'Allocations that did not fit (tryAlloc returned -1 or alloc threw)',
      unit: '{failure}',
    }),
  };
  meter.addBatchObservableCallback(
    (result) => observe(result, instruments, set),
    Object.values(instruments) as Observable[],
  );
  bound.set(provider, set);
  return set;
}

interface Totals {
  attributes: Attributes;
  capacity: number;
  used: number;
  highWaterMark: number;
  live: number;
  allocations: number;
  bytesAllocated: number;
  resets: number;
  failures: number;
}

/** One series per (name, zone); arenas that share a name are summed. */
function observe(result: BatchObservableResult, instruments: Instruments, set: ArenaSet): void {
  try {
    const groups = new Map<string, Totals>();
    for (const ref of set) {
      const arena = ref.deref();
      if (arena === undefined || arena._closed) {
        set.delete(ref);
        continue;
      }
      const s = arena.stats();
      const key = s.zone === undefined ? s.name : `${s.name}\u0000${s.zone}`;
      let totals = groups.get(key);
      if (!totals) {
        const attributes: Attributes = { 'sightline.arena.name': s.name };
        if (s.zone !== undefined) attributes['sightline.arena.zone'] = s.zone;
        totals = {
          attributes,
          capacity: 0,
          used: 0,
          highWaterMark: 0,
          live: 0,
          allocations: 0,
          bytesAllocated: 0,
          resets: 0,
          failures: 0,
        };
        groups.set(key, totals);
      }
      totals.capacity += s.capacity;
      totals.used += s.used;
      totals.highWaterMark += s.highWaterMark;
      totals.live += s.live;
      totals.allocations += s.allocations;
      totals.bytesAllocated += s.bytesAllocated;
      totals.resets += s.resets;
      totals.failures += s.failures;
    }
    for (const t of groups.values()) {
      result.observe(instruments.capacity, t.capacity, t.attributes);
      result.observe(instruments.used, t.used, t.attributes);
      result.observe(instruments.highWaterMark, t.highWaterMark, t.attributes);
      result.observe(
        instruments.fragmentation,
        t.used > 0 ? (t.used - t.live) / t.used : 0,
        t.attributes,
      );
      result.observe(instruments.allocations, t.allocations, t.attributes);
      result.observe(instruments.bytesAllocated, t.bytesAllocated, t.attributes);
      result.observe(instruments.resets, t.resets, t.attributes);
      result.observe(instruments.failures, t.failures, t.attributes);
    }
  } catch (error) {
    loadApi()?.diag.warn('@sightline/arena: reading arena metrics failed', error);
  }
}
