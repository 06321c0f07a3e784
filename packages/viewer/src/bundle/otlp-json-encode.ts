/**
 * Stored rows → OTLP/JSON (the inverse of receiver/json-*.ts), for export bundles. Attribute values map back
 * by JSON type: strings, booleans, integers (intValue), other numbers (doubleValue), arrays, objects
 * (kvlistValue) and `{"bytes": ...}` (bytesValue). A double that had an integral value comes back as an int.
 */
import type { Row } from '../store/connection-pool.js';

type Json = Record<string, unknown>;

export function anyValue(v: unknown): Json {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (v && typeof v === 'object') {
    const o = v as Json;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'bytes' && typeof o.bytes === 'string')
      return { bytesValue: o.bytes };
    return { kvlistValue: { values: keyValues(o) } };
  }
  return {};
}

export function keyValues(obj: unknown): Json[] {
  if (!obj || typeof obj !== 'object') return [];
  return Object.entries(obj as Json).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function parse(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  try {
    return JSON.parse(String(v));
  } catch {
    return undefined;
  }
}

/** Groups rows by resource and scope into the OTLP resource and scope nesting. */
function nest(rows: Row[], itemKey: string, toItem: (r: Row) => Json): Json[] {
  const byResource = new Map<string, Map<string, Json[]>>();
  const scopes = new Map<string, Row>();
  for (const r of rows) {
    const resKey = String(r.resource);
    const scopeKey = `${r.scope_name}\u0000${r.scope_version}\u0000${r.scope_attributes}`;
    scopes.set(scopeKey, r);
    let m = byResource.get(resKey);
    if (!m) {
      m = new Map();
      byResource.set(resKey, m);
    }
    let list = m.get(scopeKey);
    if (!list) {
      list = [];
      m.set(scopeKey, list);
    }
    list.push(toItem(r));
  }
  return [...byResource.entries()].map(([res, m]) => ({
    resource: { attributes: keyValues(parse(res)) },
    [`scope${itemKey}`]: [...m.entries()].map(([sk, items]) => {
      const s = scopes.get(sk) as Row;
      return {
        scope: {
          name: s.scope_name,
          version: s.scope_version,
          attributes: keyValues(parse(s.scope_attributes)),
        },
        [itemKey === 'Logs' ? 'logRecords' : itemKey === 'Metrics' ? 'metrics' : 'spans']: items,
      };
    }),
  }));
}

interface EventJson {
  timeUnixNano: string;
  name: string;
  attributes: unknown;
  droppedAttributesCount: number;
}

interface LinkJson {
  traceId: string;
  spanId: string;
  traceState: string;
  flags: number;
  attributes: unknown;
  droppedAttributesCount: number;
}

export function tracesRequest(rows: Row[]): Json {
  return {
    resourceSpans: nest(rows, 'Spans', (r) => ({
      traceId: r.trace_id,
      spanId: r.span_id,
      parentSpanId: r.parent_span_id,
      traceState: r.trace_state,
      name: r.name,
      kind: Number(r.kind),
      startTimeUnixNano: String(r.start_ns),
      endTimeUnixNano: String(r.end_ns),
      attributes: keyValues(parse(r.attributes)),
      droppedAttributesCount: Number(r.dropped_attributes),
      events: ((parse(r.events) ?? []) as EventJson[]).map((e) => ({
        ...e,
        attributes: keyValues(e.attributes),
      })),
      droppedEventsCount: Number(r.dropped_events),
      links: ((parse(r.links) ?? []) as LinkJson[]).map((l) => ({
        ...l,
        attributes: keyValues(l.attributes),
      })),
      droppedLinksCount: Number(r.dropped_links),
      status: { code: Number(r.status_code), message: r.status_message },
      flags: Number(r.flags),
    })),
  };
}

export function logsRequest(rows: Row[]): Json {
  return {
    resourceLogs: nest(rows, 'Logs', (r) => {
      const body = parse(r.body);
      return {
        timeUnixNano: String(r.time_ns),
        observedTimeUnixNano: String(r.observed_ns),
        severityNumber: Number(r.severity_number),
        severityText: r.severity_text,
        ...(body === null || body === undefined ? {} : { body: anyValue(body) }),
        attributes: keyValues(parse(r.attributes)),
        droppedAttributesCount: Number(r.dropped_attributes),
        flags: Number(r.flags),
        traceId: r.trace_id,
        spanId: r.span_id,
        eventName: r.event_name,
      };
    }),
  };
}

function n(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

function exemplars(v: unknown): Json[] {
  return ((parse(v) ?? []) as Json[]).map((e) => ({
    timeUnixNano: e.timeUnixNano,
    ...(typeof e.value === 'number' && Number.isInteger(e.value)
      ? { asInt: String(e.value) }
      : { asDouble: e.value }),
    traceId: e.traceId,
    spanId: e.spanId,
    filteredAttributes: keyValues(e.filteredAttributes),
  }));
}

/** One Metric per stored point (same name repeated is valid OTLP and keeps the code simple). */
export function metricsRequest(rows: Row[]): Json {
  return {
    resourceMetrics: nest(rows, 'Metrics', (r) => {
      const point: Json = {
        attributes: keyValues(parse(r.attributes)),
        startTimeUnixNano: String(r.start_ns),
        timeUnixNano: String(r.time_ns),
        flags: Number(r.flags),
        exemplars: exemplars(r.exemplars),
      };
      const type = String(r.type);
      if (type === 'sum' || type === 'gauge') {
        if (r.value_int !== null && r.value_int !== undefined) point.asInt = String(r.value_int);
        else if (r.value !== null && r.value !== undefined) point.asDouble = Number(r.value);
      } else {
        point.count = String(r.count ?? 0);
        if (r.sum !== null && r.sum !== undefined) point.sum = Number(r.sum);
        if (r.min !== null && r.min !== undefined) point.min = Number(r.min);
        if (r.max !== null && r.max !== undefined) point.max = Number(r.max);
      }
      if (type === 'histogram') {
        point.bucketCounts = ((parse(r.bucket_counts) ?? []) as number[]).map(String);
        point.explicitBounds = parse(r.explicit_bounds) ?? [];
      } else if (type === 'exponentialHistogram') {
        point.scale = n(r.scale);
        point.zeroCount = String(r.zero_count ?? 0);
        point.zeroThreshold = n(r.zero_threshold);
        point.positive = parse(r.positive);
        point.negative = parse(r.negative);
      } else if (type === 'summary') {
        point.quantileValues = parse(r.quantiles) ?? [];
      }
      const data: Json = { dataPoints: [point] };
      if (type === 'sum' || type === 'histogram' || type === 'exponentialHistogram')
        data.aggregationTemporality = Number(r.temporality);
      if (type === 'sum') data.isMonotonic = r.is_monotonic === true;
      return { name: r.name, description: r.description, unit: r.unit, [type]: data };
    }),
  };
}
