/** ExportMetricsServiceRequest in OTLP/JSON → one row per data point (same rules as `decode-metrics.ts`). */
import { doubleJson, intJson } from './attribute-json.js';
import {
  arrayField,
  attributesJson,
  bigIntField,
  doubleArray,
  field,
  hexIdField,
  intField,
  type JsonObject,
  OtlpJsonError,
  objectField,
  optionalNumberField,
  parseJsonBody,
  resourceJson,
  scopeJson,
  stringField,
  toBigInt,
  uintArray,
} from './json-values.js';
import { type Decoded, emptyDecoded, type MetricPointRow, type MetricType } from './rows.js';

const TYPES: [string, MetricType][] = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponentialHistogram'],
  ['summary', 'summary'],
];

export function decodeMetricsJson(buf: Uint8Array): Decoded<MetricPointRow> {
  return metricsFromJson(parseJsonBody(buf));
}

export function metricsFromJson(body: JsonObject): Decoded<MetricPointRow> {
  const out = emptyDecoded<MetricPointRow>();
  for (const rm of arrayField(body, 'resourceMetrics')) {
    const resource = resourceJson(rm);
    for (const sm of arrayField(rm, 'scopeMetrics')) {
      const scope = scopeJson(sm);
      for (const metric of arrayField(sm, 'metrics')) {
        let type: MetricType | undefined;
        let data: JsonObject | undefined;
        for (const [key, t] of TYPES) {
          data = objectField(metric, key);
          if (data !== undefined) {
            type = t;
            break;
          }
        }
        if (type === undefined || data === undefined) continue;
        const hasTemporality =
          type === 'sum' || type === 'histogram' || type === 'exponentialHistogram';
        for (const p of arrayField(data, 'dataPoints')) {
          const row: MetricPointRow = {
            name: stringField(metric, 'name'),
            description: stringField(metric, 'description'),
            unit: stringField(metric, 'unit'),
            type,
            temporality: hasTemporality ? intField(data, 'aggregationTemporality') : 0,
            isMonotonic: type === 'sum' ? field(data, 'isMonotonic') === true : null,
            service: resource.service,
            resource: resource.json,
            scopeName: scope.name,
            scopeVersion: scope.version,
            scopeAttributes: scope.attributes,
            attributes: attributesJson(p),
            startNs: bigIntField(p, 'startTimeUnixNano'),
            timeNs: bigIntField(p, 'timeUnixNano'),
            flags: intField(p, 'flags'),
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
            exemplars: exemplarsJson(p),
          };
          if (type === 'gauge' || type === 'sum') {
            const asInt = field(p, 'asInt');
            if (asInt !== undefined && asInt !== null) {
              row.valueInt = toBigInt(asInt, 'asInt');
              row.value = Number(row.valueInt);
            } else row.value = optionalNumberField(p, 'asDouble');
          } else {
            row.count = Number(bigIntField(p, 'count'));
            row.sum = optionalNumberField(p, 'sum');
            row.min = optionalNumberField(p, 'min');
            row.max = optionalNumberField(p, 'max');
          }
          if (type === 'histogram') {
            row.bucketCounts = JSON.stringify(uintArray(p, 'bucketCounts'));
            row.explicitBounds = `[${doubleArray(p, 'explicitBounds').map(doubleJson).join(',')}]`;
          } else if (type === 'exponentialHistogram') {
            row.scale = intField(p, 'scale');
            row.zeroCount = Number(bigIntField(p, 'zeroCount'));
            row.zeroThreshold = optionalNumberField(p, 'zeroThreshold') ?? 0;
            row.positive = bucketsJson(objectField(p, 'positive'));
            row.negative = bucketsJson(objectField(p, 'negative'));
          } else if (type === 'summary') {
            row.sum ??= 0;
            row.quantiles = `[${arrayField(p, 'quantileValues')
              .map(
                (q) =>
                  `{"quantile":${doubleJson(optionalNumberField(q, 'quantile') ?? 0)},"value":${doubleJson(optionalNumberField(q, 'value') ?? 0)}}`,
              )
              .join(',')}]`;
          }
          out.rows.push(row);
        }
      }
    }
  }
  return out;
}

function bucketsJson(b: JsonObject | undefined): string {
  if (b === undefined) return '{"offset":0,"bucketCounts":[]}';
  return `{"offset":${intField(b, 'offset')},"bucketCounts":${JSON.stringify(uintArray(b, 'bucketCounts'))}}`;
}

function exemplarsJson(p: JsonObject): string {
  const items = arrayField(p, 'exemplars').map((e) => {
    const traceId = hexIdField(e, 'traceId', 16);
    const spanId = hexIdField(e, 'spanId', 8);
    if (traceId === undefined || spanId === undefined)
      throw new OtlpJsonError('exemplar traceId/spanId must be 32/16 hex characters');
    const asInt = field(e, 'asInt');
    const value =
      asInt !== undefined && asInt !== null
        ? intJson(toBigInt(asInt, 'asInt'))
        : doubleJson(optionalNumberField(e, 'asDouble') ?? 0);
    return `{"timeUnixNano":"${bigIntField(e, 'timeUnixNano')}","value":${value},"traceId":"${traceId}","spanId":"${spanId}","filteredAttributes":${attributesJson(e, 'filteredAttributes')}}`;
  });
  return `[${items.join(',')}]`;
}
