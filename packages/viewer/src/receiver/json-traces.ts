/** ExportTraceServiceRequest in OTLP/JSON → span rows (same rules as `decode-traces.ts`). */
import { isZeroId } from './hex.js';
import {
  arrayField,
  attributesJson,
  bigIntField,
  hexIdField,
  intField,
  type JsonObject,
  objectField,
  parseJsonBody,
  resourceJson,
  scopeJson,
  stringField,
} from './json-values.js';
import { type Decoded, emptyDecoded, reject, type SpanRow } from './rows.js';

export function decodeTracesJson(buf: Uint8Array): Decoded<SpanRow> {
  return tracesFromJson(parseJsonBody(buf));
}

export function tracesFromJson(body: JsonObject): Decoded<SpanRow> {
  const out = emptyDecoded<SpanRow>();
  for (const rs of arrayField(body, 'resourceSpans')) {
    const resource = resourceJson(rs);
    for (const ss of arrayField(rs, 'scopeSpans')) {
      const scope = scopeJson(ss);
      for (const span of arrayField(ss, 'spans')) {
        const name = stringField(span, 'name');
        const traceId = hexIdField(span, 'traceId', 16);
        const spanId = hexIdField(span, 'spanId', 8);
        const parent = hexIdField(span, 'parentSpanId', 8);
        if (!traceId || isZeroId(traceId)) {
          reject(out, `span "${name}": traceId must be 32 hex characters, not all zero`);
          continue;
        }
        if (!spanId || isZeroId(spanId)) {
          reject(out, `span "${name}": spanId must be 16 hex characters, not all zero`);
          continue;
        }
        if (parent === undefined) {
          reject(out, `span "${name}": parentSpanId must be empty or 16 hex characters`);
          continue;
        }
        let links = '';
        let badLink = false;
        for (const link of arrayField(span, 'links')) {
          const lt = hexIdField(link, 'traceId', 16);
          const ls = hexIdField(link, 'spanId', 8);
          if (!lt || !ls) {
            badLink = true;
            break;
          }
          links += `${links ? ',' : ''}{"traceId":"${lt}","spanId":"${ls}","traceState":${JSON.stringify(stringField(link, 'traceState'))},"flags":${intField(link, 'flags')},"attributes":${attributesJson(link)},"droppedAttributesCount":${intField(link, 'droppedAttributesCount')}}`;
        }
        if (badLink) {
          reject(out, `span "${name}": link traceId/spanId must be 32/16 hex characters`);
          continue;
        }
        let events = '';
        for (const ev of arrayField(span, 'events')) {
          events += `${events ? ',' : ''}{"timeUnixNano":"${bigIntField(ev, 'timeUnixNano')}","name":${JSON.stringify(stringField(ev, 'name'))},"attributes":${attributesJson(ev)},"droppedAttributesCount":${intField(ev, 'droppedAttributesCount')}}`;
        }
        const status = objectField(span, 'status');
        out.rows.push({
          traceId,
          spanId,
          parentSpanId: parent,
          traceState: stringField(span, 'traceState'),
          name,
          kind: intField(span, 'kind'),
          startNs: bigIntField(span, 'startTimeUnixNano'),
          endNs: bigIntField(span, 'endTimeUnixNano'),
          statusCode: status ? intField(status, 'code') : 0,
          statusMessage: status ? stringField(status, 'message') : '',
          flags: intField(span, 'flags'),
          attributes: attributesJson(span),
          events: `[${events}]`,
          links: `[${links}]`,
          droppedAttributes: intField(span, 'droppedAttributesCount'),
          droppedEvents: intField(span, 'droppedEventsCount'),
          droppedLinks: intField(span, 'droppedLinksCount'),
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
