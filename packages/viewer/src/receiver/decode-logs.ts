/** ExportLogsServiceRequest (collector/logs/v1, logs/v1) protobuf → log rows with their trace context. */
import { AttributeWriter, lastKeyValue, readAnyValue } from './attribute-json.js';
import { bytesToHex } from './hex.js';
import { decodeEnvelope, type EnvelopeFields } from './otlp-envelope.js';
import {
  type ProtobufReader,
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
} from './protobuf-reader.js';
import type { ResourceInfo, ScopeInfo } from './resource-scope.js';
import { type Decoded, type LogRow, reject } from './rows.js';

const LOG_FIELDS: EnvelopeFields = {
  resources: 'ExportLogsServiceRequest.resource_logs',
  resourceMessage: 'ResourceLogs',
  scopes: 'scope_logs',
  scopeMessage: 'ScopeLogs',
  items: 'log_records',
};

export function decodeLogsProtobuf(buf: Uint8Array): Decoded<LogRow> {
  return decodeEnvelope(buf, LOG_FIELDS, readLogRecord);
}

function readLogRecord(
  r: ProtobufReader,
  end: number,
  resource: ResourceInfo,
  scope: ScopeInfo,
  out: Decoded<LogRow>,
): void {
  const attrs = new AttributeWriter();
  let timeNs = 0n;
  let observedNs = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body = 'null';
  let bodyText = '';
  let dropped = 0;
  let flags = 0;
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let eventName = '';
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect(wire, WIRE_I64, 'LogRecord.time_unix_nano');
        timeNs = r.fixed64();
        break;
      case 11:
        r.expect(wire, WIRE_I64, 'LogRecord.observed_time_unix_nano');
        observedNs = r.fixed64();
        break;
      case 2:
        r.expect(wire, WIRE_VARINT, 'LogRecord.severity_number');
        severityNumber = r.int32();
        break;
      case 3:
        r.expect(wire, WIRE_LEN, 'LogRecord.severity_text');
        severityText = r.string();
        break;
      case 5: {
        r.expect(wire, WIRE_LEN, 'LogRecord.body');
        body = readAnyValue(r, r.lenEnd());
        bodyText = lastKeyValue.stringValue ?? body;
        break;
      }
      case 6:
        r.expect(wire, WIRE_LEN, 'LogRecord.attributes');
        attrs.add(r, r.lenEnd());
        break;
      case 7:
        r.expect(wire, WIRE_VARINT, 'LogRecord.dropped_attributes_count');
        dropped = r.uint32();
        break;
      case 8:
        r.expect(wire, WIRE_I32, 'LogRecord.flags');
        flags = r.fixed32();
        break;
      case 9:
        r.expect(wire, WIRE_LEN, 'LogRecord.trace_id');
        traceId = r.bytes();
        break;
      case 10:
        r.expect(wire, WIRE_LEN, 'LogRecord.span_id');
        spanId = r.bytes();
        break;
      case 12:
        r.expect(wire, WIRE_LEN, 'LogRecord.event_name');
        eventName = r.string();
        break;
      default:
        r.skip(wire);
    }
  }
  // Trace context is optional on logs, but when present it must have the right length.
  if (traceId !== undefined && traceId.length !== 0 && traceId.length !== 16) {
    reject(out, 'log record: trace_id must be empty or 16 bytes');
    return;
  }
  if (spanId !== undefined && spanId.length !== 0 && spanId.length !== 8) {
    reject(out, 'log record: span_id must be empty or 8 bytes');
    return;
  }
  out.rows.push({
    timeNs,
    observedNs,
    severityNumber,
    severityText,
    body,
    bodyText,
    attributes: attrs.json(),
    droppedAttributes: dropped,
    flags,
    traceId: traceId?.length ? bytesToHex(traceId) : '',
    spanId: spanId?.length ? bytesToHex(spanId) : '',
    eventName,
    service: resource.service,
    resource: resource.json,
    scopeName: scope.name,
    scopeVersion: scope.version,
    scopeAttributes: scope.attributes,
  });
}
