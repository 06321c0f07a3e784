/** Store rows → the API's JSON shapes (docs/viewer-api.md). */
import type { Row } from '../store/connection-pool.js';
import { nsToMs } from './params.js';

function parse(text: unknown): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(String(text));
  } catch {
    return null;
  }
}

interface EventJson {
  timeUnixNano: string;
  name: string;
  attributes: unknown;
  droppedAttributesCount: number;
}

export function spanJson(r: Row, resourceIndex: number): Record<string, unknown> {
  const events = (parse(r.events) ?? []) as EventJson[];
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    name: r.name,
    kind: Number(r.kind),
    service: r.service,
    scope: { name: r.scope_name, version: r.scope_version },
    startTimeUnixNano: String(r.start_ns),
    endTimeUnixNano: String(r.end_ns),
    startMs: nsToMs(r.start_ns),
    durationMs: Number(r.duration_ns) / 1e6,
    status: { code: Number(r.status_code), message: r.status_message },
    attributes: parse(r.attributes) ?? {},
    events: events.map((e) => ({ ...e, timeMs: nsToMs(BigInt(e.timeUnixNano)) })),
    links: parse(r.links) ?? [],
    traceState: r.trace_state,
    flags: Number(r.flags),
    droppedAttributesCount: Number(r.dropped_attributes),
    droppedEventsCount: Number(r.dropped_events),
    droppedLinksCount: Number(r.dropped_links),
    resourceIndex,
    runId: Number(r.run_id),
  };
}

export function logJson(r: Row): Record<string, unknown> {
  return {
    timeUnixNano: String(r.time_ns),
    timeMs: nsToMs(r.time_ns),
    observedTimeUnixNano: String(r.observed_ns),
    severityNumber: Number(r.severity_number),
    severityText: r.severity_text,
    body: parse(r.body),
    attributes: parse(r.attributes) ?? {},
    traceId: r.trace_id,
    spanId: r.span_id,
    flags: Number(r.flags),
    eventName: r.event_name,
    service: r.service,
    resource: parse(r.resource) ?? {},
    scope: { name: r.scope_name, version: r.scope_version },
    droppedAttributesCount: Number(r.dropped_attributes),
    runId: Number(r.run_id),
  };
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

export function metricPointJson(r: Row): Record<string, unknown> {
  return {
    name: r.name,
    type: r.type,
    unit: r.unit,
    description: r.description,
    temporality: Number(r.temporality) || null,
    isMonotonic: r.is_monotonic ?? null,
    service: r.service,
    resource: parse(r.resource) ?? {},
    scope: { name: r.scope_name, version: r.scope_version },
    attributes: parse(r.attributes) ?? {},
    startTimeUnixNano: String(r.start_ns),
    timeUnixNano: String(r.time_ns),
    timeMs: nsToMs(r.time_ns),
    flags: Number(r.flags),
    value: r.value_int !== null && r.value_int !== undefined ? Number(r.value_int) : num(r.value),
    isInt: r.value_int !== null && r.value_int !== undefined,
    count: num(r.count),
    sum: num(r.sum),
    min: num(r.min),
    max: num(r.max),
    bucketCounts: parse(r.bucket_counts),
    explicitBounds: parse(r.explicit_bounds),
    scale: num(r.scale),
    zeroCount: num(r.zero_count),
    zeroThreshold: num(r.zero_threshold),
    positive: parse(r.positive),
    negative: parse(r.negative),
    quantileValues: parse(r.quantiles),
    exemplars: parse(r.exemplars) ?? [],
    runId: Number(r.run_id),
  };
}
