/**
 * ExportMetricsServiceRequest (collector/metrics/v1, metrics/v1) protobuf → one row per data point, for all
 * five point types (sum, gauge, histogram, exponential histogram, summary) with exemplars.
 */
import { AttributeWriter, doubleJson, intJson } from './attribute-json.js';
import { bytesToHex } from './hex.js';
import { decodeEnvelope, type EnvelopeFields } from './otlp-envelope.js';
import { type ProtobufReader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader.js';
import type { ResourceInfo, ScopeInfo } from './resource-scope.js';
import type { Decoded, MetricPointRow, MetricType } from './rows.js';

const METRIC_FIELDS: EnvelopeFields = {
  resources: 'ExportMetricsServiceRequest.resource_metrics',
  resourceMessage: 'ResourceMetrics',
  scopes: 'scope_metrics',
  scopeMessage: 'ScopeMetrics',
  items: 'metrics',
};

export function decodeMetricsProtobuf(buf: Uint8Array): Decoded<MetricPointRow> {
  return decodeEnvelope(buf, METRIC_FIELDS, readMetric);
}

interface MetricHead {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality: number;
  isMonotonic: boolean | null;
  resource: ResourceInfo;
  scope: ScopeInfo;
}

const DATA_FIELDS: Record<number, MetricType> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponentialHistogram',
  11: 'summary',
};

function readMetric(
  r: ProtobufReader,
  end: number,
  resource: ResourceInfo,
  scope: ScopeInfo,
  out: Decoded<MetricPointRow>,
): void {
  const head: MetricHead = {
    name: '',
    description: '',
    unit: '',
    type: 'gauge',
    temporality: 0,
    isMonotonic: null,
    resource,
    scope,
  };
  let dataStart = -1;
  let dataEnd = -1;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      r.expect(wire, WIRE_LEN, 'Metric.name');
      head.name = r.string();
    } else if (field === 2) {
      r.expect(wire, WIRE_LEN, 'Metric.description');
      head.description = r.string();
    } else if (field === 3) {
      r.expect(wire, WIRE_LEN, 'Metric.unit');
      head.unit = r.string();
    } else if (DATA_FIELDS[field] !== undefined) {
      r.expect(wire, WIRE_LEN, `Metric.${DATA_FIELDS[field]}`);
      head.type = DATA_FIELDS[field];
      dataEnd = r.lenEnd();
      dataStart = r.pos;
      r.pos = dataEnd;
    } else r.skip(wire);
  }
  if (dataStart < 0) return; // a metric without data has no points to store
  // First pass: the metric-level fields (temporality, monotonic) that may follow the points.
  r.pos = dataStart;
  const points: number[] = [];
  while (r.pos < dataEnd) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag & 7, WIRE_LEN, `${head.type}.data_points`);
      const e = r.lenEnd();
      points.push(r.pos, e);
      r.pos = e;
    } else if (field === 2 && head.type !== 'gauge' && head.type !== 'summary') {
      r.expect(tag & 7, WIRE_VARINT, 'aggregation_temporality');
      head.temporality = r.int32();
    } else if (field === 3 && head.type === 'sum') {
      r.expect(tag & 7, WIRE_VARINT, 'Sum.is_monotonic');
      head.isMonotonic = r.bool();
    } else r.skip(tag & 7);
  }
  if (head.type === 'sum' && head.isMonotonic === null) head.isMonotonic = false;
  for (let i = 0; i < points.length; i += 2) {
    r.pos = points[i] as number;
    out.rows.push(readPoint(r, points[i + 1] as number, head));
  }
  r.pos = end;
}

function newRow(head: MetricHead): MetricPointRow {
  return {
    name: head.name,
    description: head.description,
    unit: head.unit,
    type: head.type,
    temporality: head.temporality,
    isMonotonic: head.isMonotonic,
    service: head.resource.service,
    resource: head.resource.json,
    scopeName: head.scope.name,
    scopeVersion: head.scope.version,
    scopeAttributes: head.scope.attributes,
    attributes: '{}',
    startNs: 0n,
    timeNs: 0n,
    flags: 0,
    value: null,
    valueInt: null,
    count: null,
    sum: null,
    min: null,
    max: null,
    bucketCounts: null,
    explicitBounds: null,
    scale: null,
    zeroCount: null,
    zeroThreshold: null,
    positive: null,
    negative: null,
    quantiles: null,
    exemplars: '[]',
  };
}

/** Field numbers differ per point type; this table names them. */
const LAYOUT = {
  gauge: { attributes: 7, exemplars: 5, flags: 8 },
  sum: { attributes: 7, exemplars: 5, flags: 8 },
  histogram: { attributes: 9, exemplars: 8, flags: 10 },
  exponentialHistogram: { attributes: 1, exemplars: 11, flags: 10 },
  summary: { attributes: 7, exemplars: -1, flags: 8 },
} as const;

function readPoint(r: ProtobufReader, end: number, head: MetricHead): MetricPointRow {
  const row = newRow(head);
  const layout = LAYOUT[head.type];
  const attrs = new AttributeWriter();
  let exemplars = '';
  const buckets: number[] = [];
  const bounds: number[] = [];
  const quantiles: string[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === layout.attributes) {
      r.expect(wire, WIRE_LEN, 'DataPoint.attributes');
      attrs.add(r, r.lenEnd());
    } else if (field === 2) {
      r.expect(wire, WIRE_I64, 'DataPoint.start_time_unix_nano');
      row.startNs = r.fixed64();
    } else if (field === 3) {
      r.expect(wire, WIRE_I64, 'DataPoint.time_unix_nano');
      row.timeNs = r.fixed64();
    } else if (field === layout.exemplars) {
      r.expect(wire, WIRE_LEN, 'DataPoint.exemplars');
      exemplars += (exemplars ? ',' : '') + readExemplar(r, r.lenEnd());
    } else if (field === layout.flags) {
      r.expect(wire, WIRE_VARINT, 'DataPoint.flags');
      row.flags = r.uint32();
    } else if (head.type === 'gauge' || head.type === 'sum') {
      if (field === 4) {
        r.expect(wire, WIRE_I64, 'NumberDataPoint.as_double');
        row.value = r.double();
        row.valueInt = null;
      } else if (field === 6) {
        r.expect(wire, WIRE_I64, 'NumberDataPoint.as_int');
        row.valueInt = r.sfixed64();
        row.value = Number(row.valueInt);
      } else r.skip(wire);
    } else if (head.type === 'histogram') {
      if (field === 4) row.count = expectFixed64(r, wire, 'HistogramDataPoint.count');
      else if (field === 5) row.sum = expectDouble(r, wire, 'HistogramDataPoint.sum');
      else if (field === 6) readPackedFixed64(r, wire, buckets);
      else if (field === 7) readPackedDouble(r, wire, bounds);
      else if (field === 11) row.min = expectDouble(r, wire, 'HistogramDataPoint.min');
      else if (field === 12) row.max = expectDouble(r, wire, 'HistogramDataPoint.max');
      else r.skip(wire);
    } else if (head.type === 'exponentialHistogram') {
      if (field === 4) row.count = expectFixed64(r, wire, 'ExponentialHistogramDataPoint.count');
      else if (field === 5) row.sum = expectDouble(r, wire, 'ExponentialHistogramDataPoint.sum');
      else if (field === 6) {
        r.expect(wire, WIRE_VARINT, 'ExponentialHistogramDataPoint.scale');
        row.scale = r.sint32();
      } else if (field === 7)
        row.zeroCount = expectFixed64(r, wire, 'ExponentialHistogramDataPoint.zero_count');
      else if (field === 8) {
        r.expect(wire, WIRE_LEN, 'ExponentialHistogramDataPoint.positive');
        row.positive = readBuckets(r, r.lenEnd());
      } else if (field === 9) {
        r.expect(wire, WIRE_LEN, 'ExponentialHistogramDataPoint.negative');
        row.negative = readBuckets(r, r.lenEnd());
      } else if (field === 12) row.min = expectDouble(r, wire, 'ExponentialHistogramDataPoint.min');
      else if (field === 13) row.max = expectDouble(r, wire, 'ExponentialHistogramDataPoint.max');
      else if (field === 14)
        row.zeroThreshold = expectDouble(r, wire, 'ExponentialHistogramDataPoint.zero_threshold');
      else r.skip(wire);
    } else {
      // summary
      if (field === 4) row.count = expectFixed64(r, wire, 'SummaryDataPoint.count');
      else if (field === 5) row.sum = expectDouble(r, wire, 'SummaryDataPoint.sum');
      else if (field === 6) {
        r.expect(wire, WIRE_LEN, 'SummaryDataPoint.quantile_values');
        const qEnd = r.lenEnd();
        let q = 0;
        let v = 0;
        while (r.pos < qEnd) {
          const t = r.tag();
          if (t >>> 3 === 1 && (t & 7) === WIRE_I64) q = r.double();
          else if (t >>> 3 === 2 && (t & 7) === WIRE_I64) v = r.double();
          else r.skip(t & 7);
        }
        quantiles.push(`{"quantile":${doubleJson(q)},"value":${doubleJson(v)}}`);
      } else r.skip(wire);
    }
  }
  row.attributes = attrs.json();
  row.exemplars = `[${exemplars}]`;
  if (head.type === 'histogram') {
    row.bucketCounts = JSON.stringify(buckets);
    row.explicitBounds = `[${bounds.map(doubleJson).join(',')}]`;
    row.count ??= 0;
  } else if (head.type === 'exponentialHistogram') {
    row.scale ??= 0;
    row.zeroCount ??= 0;
    row.zeroThreshold ??= 0;
    row.positive ??= '{"offset":0,"bucketCounts":[]}';
    row.negative ??= '{"offset":0,"bucketCounts":[]}';
    row.count ??= 0;
  } else if (head.type === 'summary') {
    row.quantiles = `[${quantiles.join(',')}]`;
    row.count ??= 0;
    row.sum ??= 0;
  }
  return row;
}

function expectFixed64(r: ProtobufReader, wire: number, field: string): number {
  r.expect(wire, WIRE_I64, field);
  return r.fixed64Number();
}

function expectDouble(r: ProtobufReader, wire: number, field: string): number {
  r.expect(wire, WIRE_I64, field);
  return r.double();
}

/** repeated fixed64, packed (proto3 default) or not. */
function readPackedFixed64(r: ProtobufReader, wire: number, into: number[]): void {
  if (wire === WIRE_LEN) {
    const e = r.lenEnd();
    while (r.pos < e) into.push(r.fixed64Number());
  } else {
    r.expect(wire, WIRE_I64, 'bucket_counts');
    into.push(r.fixed64Number());
  }
}

function readPackedDouble(r: ProtobufReader, wire: number, into: number[]): void {
  if (wire === WIRE_LEN) {
    const e = r.lenEnd();
    while (r.pos < e) into.push(r.double());
  } else {
    r.expect(wire, WIRE_I64, 'explicit_bounds');
    into.push(r.double());
  }
}

function readBuckets(r: ProtobufReader, end: number): string {
  let offset = 0;
  const counts: number[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      r.expect(wire, WIRE_VARINT, 'Buckets.offset');
      offset = r.sint32();
    } else if (field === 2) {
      if (wire === WIRE_LEN) {
        const e = r.lenEnd();
        while (r.pos < e) counts.push(r.uint64Number());
      } else {
        r.expect(wire, WIRE_VARINT, 'Buckets.bucket_counts');
        counts.push(r.uint64Number());
      }
    } else r.skip(wire);
  }
  return `{"offset":${offset},"bucketCounts":${JSON.stringify(counts)}}`;
}

function readExemplar(r: ProtobufReader, end: number): string {
  const attrs = new AttributeWriter();
  let time = 0n;
  let value = 'null';
  let traceId = '';
  let spanId = '';
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 7:
        r.expect(wire, WIRE_LEN, 'Exemplar.filtered_attributes');
        attrs.add(r, r.lenEnd());
        break;
      case 2:
        r.expect(wire, WIRE_I64, 'Exemplar.time_unix_nano');
        time = r.fixed64();
        break;
      case 3:
        r.expect(wire, WIRE_I64, 'Exemplar.as_double');
        value = doubleJson(r.double());
        break;
      case 6:
        r.expect(wire, WIRE_I64, 'Exemplar.as_int');
        value = intJson(r.sfixed64());
        break;
      case 4:
        r.expect(wire, WIRE_LEN, 'Exemplar.span_id');
        spanId = bytesToHex(r.bytes());
        break;
      case 5:
        r.expect(wire, WIRE_LEN, 'Exemplar.trace_id');
        traceId = bytesToHex(r.bytes());
        break;
      default:
        r.skip(wire);
    }
  }
  return `{"timeUnixNano":"${time}","value":${value},"traceId":"${traceId}","spanId":"${spanId}","filteredAttributes":${attrs.json()}}`;
}
