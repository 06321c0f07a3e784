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
];
