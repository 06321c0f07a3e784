/**
 * The catalogue of every metric Sightline emits itself: name, instrument, unit, attributes and the
 * layer that emits it. `docs/metrics.md` is checked against this table by a test, and the names
 * are exported as constants so dashboards, alert rules and user code need not spell them.
 */

/** The kinds of OpenTelemetry instrument. */
export type InstrumentType =
  | 'counter'
  | 'updowncounter'
  | 'histogram'
  | 'gauge'
  | 'observable counter'
  | 'observable updowncounter'
  | 'observable gauge';

/** One metric of the catalogue. */
export interface MetricDefinition {
  readonly name: string;
  readonly type: InstrumentType;
  readonly unit: string;
  readonly attributes: readonly string[];
  /** Which part of Sightline emits it. */
  readonly layer: string;
  readonly description: string;
}

/** Attribute keys Sightline sets on its own metrics (beyond the semantic conventions' ones). */
export const ATTR = {
  COMPONENT: 'sightline.component',
  SIGNAL: 'signal',
  REASON: 'reason',
  ERROR_TYPE: 'error.type',
} as const;

/** The metric names, as constants. */
export const METRIC = {
  SDK_EXPORTED: 'sightline.sdk.exported',
  SDK_DROPPED: 'sightline.sdk.dropped',
  SDK_QUEUE_SIZE: 'sightline.sdk.queue.size',
  SDK_EXPORT_FAILURES: 'sightline.sdk.export.failures',
  SDK_SPANS_STARTED: 'sightline.sdk.spans.started',
  SDK_SPANS_ENDED: 'sightline.sdk.spans.ended',
  ERRORS: 'sightline.errors',
  HTTP_SERVER_DURATION: 'http.server.request.duration',
  HTTP_CLIENT_DURATION: 'http.client.request.duration',
  HTTP_SERVER_ACTIVE: 'http.server.active_requests',
  DB_OPERATION_DURATION: 'db.client.operation.duration',
  DB_CONNECTION_COUNT: 'db.client.connection.count',
  DB_CONNECTION_MAX: 'db.client.connection.max',
  DB_CONNECTION_PENDING: 'db.client.connection.pending_requests',
  DB_SLOW_QUERIES: 'sightline.db.slow_queries',
  CACHE_HITS: 'sightline.cache.hits',
  CACHE_MISSES: 'sightline.cache.misses',
  CACHE_HIT_RATIO: 'sightline.cache.hit_ratio',
  SAMPLING_TRACES: 'sightline.sampling.traces',
  SAMPLING_RATE_LIMITED: 'sightline.sampling.rate_limited',
  SAMPLING_BUFFER_TRACES: 'sightline.sampling.buffer.traces',
  SAMPLING_BUFFER_SPANS: 'sightline.sampling.buffer.spans',
  SAMPLING_EVICTIONS: 'sightline.sampling.evictions',
  SAMPLING_LATE_SPANS: 'sightline.sampling.late_spans',
  SAMPLING_ADAPTIVE_RATIO: 'sightline.sampling.adaptive.ratio',
  PROCESS_MEMORY_USAGE: 'process.memory.usage',
  V8_HEAP_USED: 'v8js.memory.heap.used',
  V8_HEAP_LIMIT: 'v8js.memory.heap.limit',
  V8_HEAP_SPACE_AVAILABLE: 'v8js.memory.heap.space.available_size',
  V8_HEAP_SPACE_PHYSICAL: 'v8js.memory.heap.space.physical_size',
  V8_GC_DURATION: 'v8js.gc.duration',
  EVENTLOOP_DELAY_MIN: 'nodejs.eventloop.delay.min',
  EVENTLOOP_DELAY_MAX: 'nodejs.eventloop.delay.max',
  EVENTLOOP_DELAY_MEAN: 'nodejs.eventloop.delay.mean',
  EVENTLOOP_DELAY_STDDEV: 'nodejs.eventloop.delay.stddev',
  EVENTLOOP_DELAY_P50: 'nodejs.eventloop.delay.p50',
  EVENTLOOP_DELAY_P90: 'nodejs.eventloop.delay.p90',
  EVENTLOOP_DELAY_P99: 'nodejs.eventloop.delay.p99',
  EVENTLOOP_UTILIZATION: 'nodejs.eventloop.utilization',
  MEMORY_EXTERNAL: 'sightline.memory.external',
  MEMORY_ARRAY_BUFFERS: 'sightline.memory.array_buffers',
  MEMORY_HEAP_LIMIT: 'sightline.memory.heap.limit',
  MEMORY_HEAP_USED_AFTER_GC: 'sightline.memory.heap.used_after_gc',
  LEAK_GROWTH_RATE: 'sightline.memory.leak.growth_rate',
  LEAK_SEVERITY: 'sightline.memory.leak.severity',
  LEAK_TIME_TO_EXHAUSTION: 'sightline.memory.leak.time_to_exhaustion',
  ALLOCATION_BYTES: 'sightline.memory.allocation.bytes',
  ALLOCATION_SITE_BYTES: 'sightline.memory.allocation.site.bytes',
  ALLOCATION_SIZE_CLASS_BYTES: 'sightline.memory.allocation.size_class.bytes',
  ALLOCATION_COMPONENT_BYTES: 'sightline.memory.allocation.component.bytes',
  ALLOCATION_EFFICIENCY: 'sightline.memory.allocation.efficiency',
  ARENA_CAPACITY: 'sightline.arena.capacity',
  ARENA_USED: 'sightline.arena.used',
  ARENA_HIGH_WATER_MARK: 'sightline.arena.high_water_mark',
  ARENA_FRAGMENTATION: 'sightline.arena.fragmentation',
  ARENA_ALLOCATIONS: 'sightline.arena.allocations',
  ARENA_ALLOCATED: 'sightline.arena.allocated',
  ARENA_RESETS: 'sightline.arena.resets',
  ARENA_FAILURES: 'sightline.arena.failures',
} as const;

const HTTP_ATTRIBUTES = [
  'http.request.method',
  'http.response.status_code',
  'error.type',
  'network.protocol.version',
] as const;

/** Every metric Sightline's own code emits. Domain families add `<prefix>.operation.*` per family. */
export const METRICS: readonly MetricDefinition[] = [
  {
    name: METRIC.SDK_EXPORTED,
    type: 'observable counter',
    unit: '{item}',
    attributes: [ATTR.SIGNAL],
    layer: 'sdk',
    description: 'Spans, log records and metric data points exported successfully.',
  },
  {
    name: METRIC.SDK_DROPPED,
    type: 'observable counter',
    unit: '{item}',
    attributes: [ATTR.SIGNAL, ATTR.REASON],
    layer: 'sdk',
    description: 'Items dropped, by reason: queue_full, export_failed, shutdown.',
  },
  {
    name: METRIC.SDK_QUEUE_SIZE,
    type: 'observable updowncounter',
    unit: '{item}',
    attributes: [ATTR.SIGNAL],
    layer: 'sdk',
    description: 'Items waiting in an export queue (traces, logs).',
  },
  {
    name: METRIC.SDK_EXPORT_FAILURES,
    type: 'observable counter',
    unit: '{export}',
    attributes: [ATTR.SIGNAL],
    layer: 'sdk',
    description: 'Export calls that failed (each drops its batch; see sightline.sdk.dropped).',
  },
  {
    name: METRIC.SDK_SPANS_STARTED,
    type: 'observable counter',
    unit: '{span}',
    attributes: [],
    layer: 'sdk',
    description: 'Recording spans started.',
  },
  {
    name: METRIC.SDK_SPANS_ENDED,
    type: 'observable counter',
    unit: '{span}',
    attributes: [],
    layer: 'sdk',
    description: 'Recording spans ended (started minus ended is what is still open).',
  },
  {
    name: METRIC.ERRORS,
    type: 'observable counter',
    unit: '{error}',
    attributes: [ATTR.ERROR_TYPE],
    layer: 'sdk',
    description:
      'Spans that ended with status ERROR, by error.type (or exception.type); at most 100 types, then _OTHER.',
  },
  {
    name: METRIC.HTTP_SERVER_DURATION,
    type: 'histogram',
    unit: 's',
    attributes: [...HTTP_ATTRIBUTES, 'url.scheme', 'http.route'],
    layer: 'http',
    description: 'Duration of HTTP server requests (semantic conventions).',
  },
  {
    name: METRIC.HTTP_CLIENT_DURATION,
    type: 'histogram',
    unit: 's',
    attributes: [...HTTP_ATTRIBUTES, 'server.address', 'server.port'],
    layer: 'http',
    description: 'Duration of outgoing HTTP requests, node:http and fetch (semantic conventions).',
  },
  {
    name: METRIC.HTTP_SERVER_ACTIVE,
    type: 'observable updowncounter',
    unit: '{request}',
    attributes: ['http.request.method', 'url.scheme'],
    layer: 'http',
    description: 'HTTP server requests in flight (semantic conventions).',
  },
  ...[
    [
      METRIC.DB_OPERATION_DURATION,
      'histogram',
      's',
      [
        'db.system.name',
        'db.namespace',
        'db.operation.name',
        'server.address',
        'server.port',
        'error.type',
      ],
      'Duration of database and Redis operations (semantic conventions).',
    ],
    [
      METRIC.DB_CONNECTION_COUNT,
      'observable updowncounter',
      '{connection}',
      ['db.client.connection.pool.name', 'db.client.connection.state'],
      'Connections of each pg pool, by state: used or idle (semantic conventions).',
    ],
    [
      METRIC.DB_CONNECTION_MAX,
      'observable updowncounter',
      '{connection}',
      ['db.client.connection.pool.name'],
      'The size limit of each pg pool (semantic conventions).',
    ],
    [
      METRIC.DB_CONNECTION_PENDING,
      'observable updowncounter',
      '{connection}',
      ['db.client.connection.pool.name'],
      'Requests waiting for a pg pool connection (semantic conventions).',
    ],
    [
      METRIC.DB_SLOW_QUERIES,
      'counter',
      '{query}',
      ['db.system.name', 'db.namespace', 'db.operation.name'],
      'Queries at least as slow as SIGHTLINE_DB_SLOW_QUERY_THRESHOLD.',
    ],
  ].map(
    ([name, type, unit, attributes, description]) =>
      ({ name, type, unit, attributes, layer: 'db', description }) as MetricDefinition,
  ),
  ...[
    [
      METRIC.CACHE_HITS,
      'counter',
      '{read}',
      ['db.system.name', 'db.operation.name', 'cache.key_pattern'],
      'Cache reads that found their key, by key pattern (at most 200, then _OTHER).',
    ],
    [
      METRIC.CACHE_MISSES,
      'counter',
      '{read}',
      ['db.system.name', 'db.operation.name', 'cache.key_pattern'],
      'Cache reads that did not find their key, by key pattern.',
    ],
    [
      METRIC.CACHE_HIT_RATIO,
      'observable gauge',
      '1',
      ['db.system.name'],
      'Hits over reads since the start.',
    ],
  ].map(
    ([name, type, unit, attributes, description]) =>
      ({ name, type, unit, attributes, layer: 'cache', description }) as MetricDefinition,
  ),
  ...[
    [
      METRIC.SAMPLING_TRACES,
      'observable counter',
      '{trace}',
      ['decision', 'policy'],
      'Tail sampling decisions, by decision (keep, drop) and the policy that decided.',
    ],
    [
      METRIC.SAMPLING_RATE_LIMITED,
      'observable counter',
      '{trace}',
      ['policy'],
      'Traces a policy would have kept but its rate limit refused.',
    ],
    [
      METRIC.SAMPLING_BUFFER_TRACES,
      'observable updowncounter',
      '{trace}',
      [],
      'Traces buffered, waiting for a decision.',
    ],
    [
      METRIC.SAMPLING_BUFFER_SPANS,
      'observable updowncounter',
      '{span}',
      [],
      'Spans buffered, waiting for a decision.',
    ],
    [
      METRIC.SAMPLING_EVICTIONS,
      'observable counter',
      '{trace}',
      ['reason'],
      'Traces decided early because a buffer limit was reached.',
    ],
    [
      METRIC.SAMPLING_LATE_SPANS,
      'observable counter',
      '{span}',
      ['decision'],
      'Spans that arrived after their trace was decided (they follow the decision).',
    ],
    [
      METRIC.SAMPLING_ADAPTIVE_RATIO,
      'observable gauge',
      '1',
      [],
      'The current ratio of the adaptive head sampler.',
    ],
  ].map(
    ([name, type, unit, attributes, description]) =>
      ({ name, type, unit, attributes, layer: 'sampling', description }) as MetricDefinition,
  ),
  ...[
    [
      METRIC.PROCESS_MEMORY_USAGE,
      'observable updowncounter',
      'By',
      [],
      'Resident set size (semantic conventions).',
    ],
    [
      METRIC.V8_HEAP_USED,
      'observable updowncounter',
      'By',
      ['v8js.heap.space.name'],
      'Heap used per V8 heap space (semantic conventions).',
    ],
    [
      METRIC.V8_HEAP_LIMIT,
      'observable updowncounter',
      'By',
      ['v8js.heap.space.name'],
      'Size of each V8 heap space (semantic conventions).',
    ],
    [
      METRIC.V8_HEAP_SPACE_AVAILABLE,
      'observable updowncounter',
      'By',
      ['v8js.heap.space.name'],
      'Available size per heap space (semantic conventions).',
    ],
    [
      METRIC.V8_HEAP_SPACE_PHYSICAL,
      'observable updowncounter',
      'By',
      ['v8js.heap.space.name'],
      'Committed physical size per heap space (semantic conventions).',
    ],
    [
      METRIC.V8_GC_DURATION,
      'histogram',
      's',
      ['v8js.gc.type'],
      'Garbage collection pauses, by type (semantic conventions).',
    ],
    [
      METRIC.EVENTLOOP_DELAY_MIN,
      'observable gauge',
      's',
      [],
      'Event loop delay, minimum over the interval.',
    ],
    [
      METRIC.EVENTLOOP_DELAY_MAX,
      'observable gauge',
      's',
      [],
      'Event loop delay, maximum over the interval.',
    ],
    [
      METRIC.EVENTLOOP_DELAY_MEAN,
      'observable gauge',
      's',
      [],
      'Event loop delay, mean over the interval.',
    ],
    [
      METRIC.EVENTLOOP_DELAY_STDDEV,
      'observable gauge',
      's',
      [],
      'Event loop delay, standard deviation over the interval.',
    ],
    [
      METRIC.EVENTLOOP_DELAY_P50,
      'observable gauge',
      's',
      [],
      'Event loop delay, median over the interval.',
    ],
    [
      METRIC.EVENTLOOP_DELAY_P90,
      'observable gauge',
      's',
      [],
      'Event loop delay, 90th percentile over the interval.',
    ],
    [
      METRIC.EVENTLOOP_DELAY_P99,
      'observable gauge',
      's',
      [],
      'Event loop delay, 99th percentile over the interval.',
    ],
    [
      METRIC.EVENTLOOP_UTILIZATION,
      'observable gauge',
      '1',
      [],
      'Share of the interval the event loop was busy.',
    ],
    [
      METRIC.MEMORY_EXTERNAL,
      'observable gauge',
      'By',
      [],
      'Memory of C++ objects bound to JavaScript objects.',
    ],
    [
      METRIC.MEMORY_ARRAY_BUFFERS,
      'observable gauge',
      'By',
      [],
      'Memory of ArrayBuffers and SharedArrayBuffers.',
    ],
    [METRIC.MEMORY_HEAP_LIMIT, 'observable gauge', 'By', [], 'The V8 heap size limit.'],
    [
      METRIC.MEMORY_HEAP_USED_AFTER_GC,
      'observable gauge',
      'By',
      [],
      'Heap used right after the last major GC: the floor the leak detector watches.',
    ],
    [
      METRIC.LEAK_GROWTH_RATE,
      'observable gauge',
      'By/h',
      ['sightline.memory.pool'],
      'Growth rate of the leak verdict, per memory pool (heap, native, external).',
    ],
    [
      METRIC.LEAK_SEVERITY,
      'observable gauge',
      '1',
      ['sightline.memory.pool'],
      'Leak severity: 0 none, 1 low, 2 medium, 3 high, 4 critical.',
    ],
    [
      METRIC.LEAK_TIME_TO_EXHAUSTION,
      'observable gauge',
      's',
      ['sightline.memory.pool'],
      'Time until the heap limit at the current growth rate.',
    ],
    [
      METRIC.ALLOCATION_BYTES,
      'observable counter',
      'By',
      [],
      'Bytes allocated, estimated by the sampling heap profiler.',
    ],
    [
      METRIC.ALLOCATION_SITE_BYTES,
      'observable counter',
      'By',
      ['code.function.name', 'code.file.path', 'code.line.number'],
      'Bytes allocated by each of the top-N allocation sites.',
    ],
    [
      METRIC.ALLOCATION_SIZE_CLASS_BYTES,
      'observable counter',
      'By',
      ['sightline.memory.size_class'],
      'Bytes allocated per size class.',
    ],
    [
      METRIC.ALLOCATION_COMPONENT_BYTES,
      'observable counter',
      'By',
      ['sightline.component'],
      'Bytes allocated per component label (withComponent).',
    ],
    [
      METRIC.ALLOCATION_EFFICIENCY,
      'observable gauge',
      '1',
      [],
      'Allocation efficiency score, see docs/memory.md.',
    ],
  ].map(
    ([name, type, unit, attributes, description]) =>
      ({ name, type, unit, attributes, layer: 'memory', description }) as MetricDefinition,
  ),
  ...[
    [
      METRIC.ARENA_CAPACITY,
      'observable updowncounter',
      'By',
      ['sightline.arena.name'],
      'Bytes the arena can hold now.',
    ],
    [
      METRIC.ARENA_USED,
      'observable updowncounter',
      'By',
      ['sightline.arena.name'],
      'Bytes allocated and not reset or rolled back.',
    ],
    [
      METRIC.ARENA_HIGH_WATER_MARK,
      'observable gauge',
      'By',
      ['sightline.arena.name'],
      'The most bytes ever in use.',
    ],
    [
      METRIC.ARENA_FRAGMENTATION,
      'observable gauge',
      '1',
      ['sightline.arena.name'],
      'Fragmentation as docs/arena.md defines it (0 to 1).',
    ],
    [
      METRIC.ARENA_ALLOCATIONS,
      'observable counter',
      '{allocation}',
      ['sightline.arena.name'],
      'Allocations made.',
    ],
    [
      METRIC.ARENA_ALLOCATED,
      'observable counter',
      'By',
      ['sightline.arena.name'],
      'Bytes allocated.',
    ],
    [METRIC.ARENA_RESETS, 'observable counter', '{reset}', ['sightline.arena.name'], 'Resets.'],
    [
      METRIC.ARENA_FAILURES,
      'observable counter',
      '{failure}',
      ['sightline.arena.name'],
      'Allocations refused because the arena was full.',
    ],
  ].map(
    ([name, type, unit, attributes, description]) =>
      ({ name, type, unit, attributes, layer: 'arena', description }) as MetricDefinition,
  ),
];
