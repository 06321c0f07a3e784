// Writes the Grafana dashboards in ./dashboards from the compact definitions below, so that every
// panel has the same layout and datasource. After an edit: `node grafana/build-dashboards.mjs &&
// npx biome format --write grafana/dashboards`;
// deploy/test/grafana.test.mjs fails when the JSON files and this script disagree.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DS = { type: 'prometheus', uid: 'prometheus' };
const SEL = 'job=~"$job", instance=~"$instance"';
const RATE = '$__rate_interval';

const variables = (extra = []) => [
  query('job', 'label_values(target_info, job)', 'Service'),
  query('instance', 'label_values(target_info{job=~"$job"}, instance)', 'Instance'),
  ...extra,
];

function query(name, definition, label) {
  return {
    name,
    label,
    type: 'query',
    datasource: DS,
    definition,
    query: { query: definition, refId: `${name}-variable` },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  };
}

/** A panel: `targets` are [expr, legend] pairs. */
function panel(
  title,
  unit,
  targets,
  { type = 'timeseries', w = 12, h = 8, description, mappings } = {},
) {
  return {
    title,
    type,
    description,
    datasource: DS,
    gridPos: { w, h },
    fieldConfig: { defaults: { unit, ...(mappings ? { mappings } : {}) }, overrides: [] },
    options:
      type === 'stat'
        ? {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: 'background',
          }
        : { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: targets.map(([expr, legendFormat], i) => ({
      datasource: DS,
      expr,
      legendFormat,
      refId: String.fromCharCode(65 + i),
    })),
  };
}

const row = (title) => ({
  title,
  type: 'row',
  collapsed: false,
  gridPos: { w: 24, h: 1 },
  panels: [],
});

function dashboard(uid, title, description, panels, templating = variables()) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const placed = panels.map((p, id) => {
    const { w, h } = p.gridPos;
    if (x + w > 24 || p.type === 'row') {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return { ...p, id: id + 1, gridPos };
  });
  return {
    uid,
    title,
    description,
    tags: ['sightline'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timezone: 'browser',
    templating: { list: templating },
    annotations: { list: [] },
    links: [
      {
        title: 'Sightline',
        type: 'dashboards',
        tags: ['sightline'],
        asDropdown: true,
        includeVars: true,
      },
    ],
    panels: placed,
  };
}

const quantiles = (metric, by, sel = SEL) =>
  [0.5, 0.95, 0.99].map((q) => [
    `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket{${sel}}[${RATE}])))`,
    `p${q * 100}${by ? ` {{${by}}}` : ''}`,
  ]);

const SEVERITY = [
  {
    type: 'value',
    options: {
      0: { text: 'no leak', color: 'green', index: 0 },
      1: { text: 'low', color: 'yellow', index: 1 },
      2: { text: 'medium', color: 'orange', index: 2 },
      3: { text: 'high', color: 'red', index: 3 },
      4: { text: 'critical', color: 'dark-red', index: 4 },
    },
  },
];

export const DASHBOARDS = {
  'service-red.json': dashboard(
    'sightline-service-red',
    'Sightline / Service RED',
    'Rate, errors and duration of HTTP servers, outgoing calls, databases and caches, from the SDK metrics.',
    [
      row('HTTP server'),
      panel('Requests per second by route', 'reqps', [
        [
          `sum by (http_route) (rate(http_server_request_duration_count{${SEL}}[${RATE}]))`,
          '{{http_route}}',
        ],
      ]),
      panel('Error ratio (5xx)', 'percentunit', [
        ['sightline:http_server_error_ratio:rate5m{job=~"$job"}', '{{job}}'],
      ]),
      panel('Duration', 's', quantiles('http_server_request_duration')),
      panel('Errors per second by type (sightline.errors)', 'ops', [
        [`sum by (error_type) (rate(sightline_errors_total{${SEL}}[${RATE}]))`, '{{error_type}}'],
      ]),
      panel('Requests in flight', 'short', [
        [`sum by (instance) (http_server_active_requests{${SEL}})`, '{{instance}}'],
      ]),
      panel('Slow ratio (> 0.5 s)', 'percentunit', [
        ['sightline:http_server_slow_ratio:rate5m{job=~"$job"}', '{{job}}'],
      ]),
      row('Outgoing HTTP'),
      panel('Outgoing calls per second by server', 'reqps', [
        [
          `sum by (server_address) (rate(http_client_request_duration_count{${SEL}}[${RATE}]))`,
          '{{server_address}}',
        ],
      ]),
      panel('Outgoing p95 by server', 's', [
        [
          `histogram_quantile(0.95, sum by (le, server_address) (rate(http_client_request_duration_bucket{${SEL}}[${RATE}])))`,
          '{{server_address}}',
        ],
      ]),
      row('Database and cache'),
      panel(
        'Database operation p95',
        's',
        [
          [
            `histogram_quantile(0.95, sum by (le, db_system_name, db_operation_name) (rate(db_client_operation_duration_bucket{${SEL}}[${RATE}])))`,
            '{{db_system_name}} {{db_operation_name}}',
          ],
        ],
        { w: 8 },
      ),
      panel(
        'Pool connections by state, and requests waiting',
        'short',
        [
          [
            `sum by (db_client_connection_state) (db_client_connection_count{${SEL}})`,
            '{{db_client_connection_state}}',
          ],
          [`sum(db_client_connection_pending_requests{${SEL}})`, 'waiting'],
        ],
        { w: 8 },
      ),
      panel(
        'Slow queries per second',
        'ops',
        [[`sum(rate(sightline_db_slow_queries_total{${SEL}}[${RATE}]))`, 'slow queries']],
        { w: 8 },
      ),
      panel('Cache hit ratio', 'percentunit', [
        [`avg by (instance) (sightline_cache_hit_ratio{${SEL}})`, '{{instance}}'],
      ]),
      panel('Cache reads per second', 'ops', [
        [`sum(rate(sightline_cache_hits_total{${SEL}}[${RATE}]))`, 'hits'],
        [`sum(rate(sightline_cache_misses_total{${SEL}}[${RATE}]))`, 'misses'],
      ]),
    ],
  ),
  'runtime-memory.json': dashboard(
    'sightline-runtime-memory',
    'Sightline / Runtime memory',
    'Process and V8 heap memory, garbage collection, event loop delay and the leak detector verdict.',
    [
      panel(
        'Leak verdict',
        'none',
        [
          [
            `max by (instance, sightline_memory_pool) (sightline_memory_leak_severity{${SEL}})`,
            '{{instance}} {{sightline_memory_pool}}',
          ],
        ],
        {
          type: 'stat',
          w: 8,
          h: 6,
          mappings: SEVERITY,
          description:
            'sightline.memory.leak.severity per pool (heap, native, external): 0 none, 1 low, 2 medium, 3 high, 4 critical.',
        },
      ),
      panel(
        'Growth rate per hour (leak detector)',
        'decbytes',
        [
          [
            `max by (instance, sightline_memory_pool) (sightline_memory_leak_growth_rate{${SEL}})`,
            '{{instance}} {{sightline_memory_pool}}',
          ],
        ],
        { w: 8, h: 6, description: 'sightline.memory.leak.growth_rate: bytes per hour.' },
      ),
      panel(
        'Time to exhaustion',
        's',
        [
          [
            `min by (instance, sightline_memory_pool) (sightline_memory_leak_time_to_exhaustion{${SEL}})`,
            '{{instance}} {{sightline_memory_pool}}',
          ],
        ],
        { w: 8, h: 6, description: 'Only while a pool grows.' },
      ),
      panel('Process memory (RSS) and live heap', 'bytes', [
        [`sum by (instance) (process_memory_usage{${SEL}})`, 'rss {{instance}}'],
        [
          `max by (instance) (sightline_memory_heap_used_after_gc{${SEL}})`,
          'heap after major GC {{instance}}',
        ],
        [`max by (instance) (sightline_memory_heap_limit{${SEL}})`, 'heap limit {{instance}}'],
      ]),
      panel('V8 heap used by space', 'bytes', [
        [
          `sum by (v8js_heap_space_name) (v8js_memory_heap_used{${SEL}})`,
          '{{v8js_heap_space_name}}',
        ],
      ]),
      panel('GC pause p95 by type', 's', [
        [
          `histogram_quantile(0.95, sum by (le, v8js_gc_type) (rate(v8js_gc_duration_bucket{${SEL}}[${RATE}])))`,
          '{{v8js_gc_type}}',
        ],
      ]),
      panel('Share of time in GC', 'percentunit', [
        [`sum by (instance) (rate(v8js_gc_duration_sum{${SEL}}[${RATE}]))`, '{{instance}}'],
      ]),
      panel(
        'Event loop delay p99',
        's',
        [[`max by (instance) (nodejs_eventloop_delay_p99{${SEL}})`, '{{instance}}']],
        { w: 24 },
      ),
    ],
  ),
  'arena.json': dashboard(
    'sightline-arena',
    'Sightline / Arena',
    'Capacity, use, fragmentation and allocation rate of @sightline/arena arenas.',
    [
      panel('Used, high-water mark and capacity', 'bytes', [
        [
          `sum by (sightline_arena_name) (sightline_arena_used{${SEL}, sightline_arena_name=~"$arena"})`,
          'used {{sightline_arena_name}}',
        ],
        [
          `max by (sightline_arena_name) (sightline_arena_high_water_mark{${SEL}, sightline_arena_name=~"$arena"})`,
          'high-water {{sightline_arena_name}}',
        ],
        [
          `sum by (sightline_arena_name) (sightline_arena_capacity{${SEL}, sightline_arena_name=~"$arena"})`,
          'capacity {{sightline_arena_name}}',
        ],
      ]),
      panel('Fragmentation', 'percentunit', [
        [
          `max by (sightline_arena_name) (sightline_arena_fragmentation{${SEL}, sightline_arena_name=~"$arena"})`,
          '{{sightline_arena_name}}',
        ],
      ]),
      panel(
        'Allocations per second',
        'ops',
        [
          [
            `sum by (sightline_arena_name) (rate(sightline_arena_allocations_total{${SEL}, sightline_arena_name=~"$arena"}[${RATE}]))`,
            '{{sightline_arena_name}}',
          ],
        ],
        { w: 8 },
      ),
      panel(
        'Bytes allocated per second',
        'Bps',
        [
          [
            `sum by (sightline_arena_name) (rate(sightline_arena_allocated_total{${SEL}, sightline_arena_name=~"$arena"}[${RATE}]))`,
            '{{sightline_arena_name}}',
          ],
        ],
        { w: 8 },
      ),
      panel(
        'Resets and failed allocations per second',
        'ops',
        [
          [
            `sum by (sightline_arena_name) (rate(sightline_arena_resets_total{${SEL}, sightline_arena_name=~"$arena"}[${RATE}]))`,
            'resets {{sightline_arena_name}}',
          ],
          [
            `sum by (sightline_arena_name) (rate(sightline_arena_failures_total{${SEL}, sightline_arena_name=~"$arena"}[${RATE}]))`,
            'failures {{sightline_arena_name}}',
          ],
        ],
        { w: 8 },
      ),
    ],
    variables([
      query(
        'arena',
        'label_values(sightline_arena_capacity{job=~"$job"}, sightline_arena_name)',
        'Arena',
      ),
    ]),
  ),
  'sdk-health.json': dashboard(
    'sightline-sdk-health',
    'Sightline / SDK health',
    'What the SDK exported, dropped and failed to export, its queues, open spans and the samplers.',
    [
      row('Export'),
      panel('Exported per second by signal', 'ops', [
        [`sum by (signal) (rate(sightline_sdk_exported_total{${SEL}}[${RATE}]))`, '{{signal}}'],
      ]),
      panel('Dropped per second by signal and reason', 'ops', [
        [
          `sum by (signal, reason) (rate(sightline_sdk_dropped_total{${SEL}}[${RATE}]))`,
          '{{signal}} {{reason}}',
        ],
      ]),
      panel('Failed export calls per second', 'ops', [
        [
          `sum by (signal) (rate(sightline_sdk_export_failures_total{${SEL}}[${RATE}]))`,
          '{{signal}}',
        ],
      ]),
      panel('Export queue size', 'short', [
        [`sum by (instance, signal) (sightline_sdk_queue_size{${SEL}})`, '{{instance}} {{signal}}'],
      ]),
      panel('Spans started per second', 'ops', [
        [
          `sum by (instance) (rate(sightline_sdk_spans_started_total{${SEL}}[${RATE}]))`,
          '{{instance}}',
        ],
      ]),
      panel('Open spans (started - ended)', 'short', [
        [
          `sum by (instance) (sightline_sdk_spans_started_total{${SEL}}) - sum by (instance) (sightline_sdk_spans_ended_total{${SEL}})`,
          '{{instance}}',
        ],
      ]),
      panel('Scrape targets up', 'short', [[`up{${SEL}}`, '{{instance}}']], { w: 24, h: 5 }),
      row('Sampling'),
      panel('Tail sampler decisions per second', 'ops', [
        [
          `sum by (decision, policy) (rate(sightline_sampling_traces_total{${SEL}}[${RATE}]))`,
          '{{decision}} {{policy}}',
        ],
      ]),
      panel('Tail sampler buffer', 'short', [
        [`sum by (instance) (sightline_sampling_buffer_spans{${SEL}})`, 'spans {{instance}}'],
        [`sum by (instance) (sightline_sampling_buffer_traces{${SEL}})`, 'traces {{instance}}'],
      ]),
      panel('Early decisions (buffer full) per second', 'ops', [
        [
          `sum by (reason) (rate(sightline_sampling_evictions_total{${SEL}}[${RATE}]))`,
          '{{reason}}',
        ],
      ]),
      panel('Adaptive head sampler ratio', 'percentunit', [
        [`avg by (instance) (sightline_sampling_adaptive_ratio{${SEL}})`, '{{instance}}'],
      ]),
    ],
  ),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, json] of Object.entries(DASHBOARDS))
    writeFileSync(
      new URL(`./dashboards/${file}`, import.meta.url),
      `${JSON.stringify(json, null, 2)}\n`,
    );
}
