/** ExportLogsServiceRequest in OTLP/JSON → log rows (same rules as `decode-logs.ts`). */
import {
  anyValueJson,
  arrayField,
  attributesJson,
  bigIntField,
  field,
  hexIdField,
  intField,
  type JsonObject,
  parseJsonBody,
  resourceJson,
  scopeJson,
  stringField,
} from './json-values.js';
import { type Decoded, emptyDecoded, type LogRow, reject } from './rows.js';

export function decodeLogsJson(buf: Uint8Array): Decoded<LogRow> {
  return logsFromJson(parseJsonBody(buf));
}

export function logsFromJson(body: JsonObject): Decoded<LogRow> {
  const out = emptyDecoded<LogRow>();
  for (const rl of arrayField(body, 'resourceLogs')) {
    const resource = resourceJson(rl);
    for (const sl of arrayField(rl, 'scopeLogs')) {
      const scope = scopeJson(sl);
      for (const rec of arrayField(sl, 'logRecords')) {
        const traceId = hexIdField(rec, 'traceId', 16);
        const spanId = hexIdField(rec, 'spanId', 8);
        if (traceId === undefined || spanId === undefined) {
          reject(out, 'log record: traceId/spanId must be empty or 32/16 hex characters');
          continue;
        }
        const rawBody = field(rec, 'body');
        const bodyJson = anyValueJson(rawBody);
        const sv =
          rawBody && typeof rawBody === 'object'
            ? field(rawBody as JsonObject, 'stringValue')
            : undefined;
        out.rows.push({
          timeNs: bigIntField(rec, 'timeUnixNano'),
          observedNs: bigIntField(rec, 'observedTimeUnixNano'),
          severityNumber: intField(rec, 'severityNumber'),
          severityText: stringField(rec, 'severityText'),
          body: bodyJson,
          bodyText: typeof sv === 'string' ? sv : bodyJson,
          attributes: attributesJson(rec),
          droppedAttributes: intField(rec, 'droppedAttributesCount'),
          flags: intField(rec, 'flags'),
          traceId,
          spanId,
          eventName: stringField(rec, 'eventName'),
          service: resource.service,
          resource: resource.json,
          scopeName: scope.name,
          scopeVersion: scope.version,
          scopeAttributes: scope.attributes,
        });
      }
    }
  }
  return out;
}
