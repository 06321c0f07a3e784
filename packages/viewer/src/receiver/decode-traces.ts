/**
 * ExportTraceServiceRequest (collector/trace/v1, trace/v1) protobuf → span rows, in one pass.
 * A span with an invalid trace or span id (wrong length, all zero) is rejected on its own and counted for
 * the partial-success response; anything structurally malformed throws `ProtobufError` (→ 400).
 */
import { AttributeWriter } from './attribute-json.js';
import { bytesToHex, isZeroBytes } from './hex.js';
import { decodeEnvelope, type EnvelopeFields } from './otlp-envelope.js';
import {
  type ProtobufReader,
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
} from './protobuf-reader.js';
import type { ResourceInfo, ScopeInfo } from './resource-scope.js';
import { type Decoded, type Origin, reject, type SpanRow } from './rows.js';

const TRACE_FIELDS: EnvelopeFields = {
  resources: 'ExportTraceServiceRequest.resource_spans',
  resourceMessage: 'ResourceSpans',
  scopes: 'scope_spans',
  scopeMessage: 'ScopeSpans',
  items: 'spans',
};

export function decodeTracesProtobuf(buf: Uint8Array): Decoded<SpanRow> {
  // One origin per resource and scope pair, shared by its spans.
  let lastResource: ResourceInfo | undefined;
  let lastScope: ScopeInfo | undefined;
  let origin: Origin | undefined;
  return decodeEnvelope<SpanRow>(buf, TRACE_FIELDS, (r, end, resource, scope, out) => {
    if (origin === undefined || resource !== lastResource || scope !== lastScope) {
      lastResource = resource;
      lastScope = scope;
      origin = {
        service: resource.service,
        resource: resource.json,
        scopeName: scope.name,
        scopeVersion: scope.version,
        scopeAttributes: scope.attributes,
      };
    }
    readSpan(r, end, origin, out);
  });
}

function readSpan(r: ProtobufReader, end: number, origin: Origin, out: Decoded<SpanRow>): void {
  // ids as [start, end) of the buffer: hex-encoded once they are known to be valid
  let traceAt = -1;
  let traceEnd = -1;
  let spanAt = -1;
  let spanEnd = -1;
  let parentAt = -1;
  let parentEnd = -1;
  let traceState = '';
  let name = '';
  let kind = 0;
  let startNs = 0n;
  let endNs = 0n;
  let flags = 0;
  const attrs = new AttributeWriter();
  let events = '';
  let links = '';
  let linkError = '';
  let droppedAttributes = 0;
  let droppedEvents = 0;
  let droppedLinks = 0;
  let statusCode = 0;
  let statusMessage = '';
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect(wire, WIRE_LEN, 'Span.trace_id');
        traceEnd = r.lenEnd();
        traceAt = r.pos;
        r.pos = traceEnd;
        break;
      case 2:
        r.expect(wire, WIRE_LEN, 'Span.span_id');
        spanEnd = r.lenEnd();
        spanAt = r.pos;
        r.pos = spanEnd;
        break;
      case 3:
        r.expect(wire, WIRE_LEN, 'Span.trace_state');
        traceState = r.string();
        break;
      case 4:
        r.expect(wire, WIRE_LEN, 'Span.parent_span_id');
        parentEnd = r.lenEnd();
        parentAt = r.pos;
        r.pos = parentEnd;
        break;
      case 5:
        r.expect(wire, WIRE_LEN, 'Span.name');
        name = r.string();
        break;
      case 6:
        r.expect(wire, WIRE_VARINT, 'Span.kind');
        kind = r.int32();
        break;
      case 7:
        r.expect(wire, WIRE_I64, 'Span.start_time_unix_nano');
        startNs = r.fixed64();
        break;
      case 8:
        r.expect(wire, WIRE_I64, 'Span.end_time_unix_nano');
        endNs = r.fixed64();
        break;
      case 9:
        r.expect(wire, WIRE_LEN, 'Span.attributes');
        attrs.add(r, r.lenEnd());
        break;
      case 10:
        r.expect(wire, WIRE_VARINT, 'Span.dropped_attributes_count');
        droppedAttributes = r.uint32();
        break;
      case 11:
        r.expect(wire, WIRE_LEN, 'Span.events');
        events += (events ? ',' : '') + readEvent(r, r.lenEnd());
        break;
      case 12:
        r.expect(wire, WIRE_VARINT, 'Span.dropped_events_count');
        droppedEvents = r.uint32();
        break;
      case 13: {
        r.expect(wire, WIRE_LEN, 'Span.links');
        const link = readLink(r, r.lenEnd());
        if (link.startsWith('!')) linkError = link.slice(1);
        else links += (links ? ',' : '') + link;
        break;
      }
      case 14:
        r.expect(wire, WIRE_VARINT, 'Span.dropped_links_count');
        droppedLinks = r.uint32();
        break;
      case 15: {
        r.expect(wire, WIRE_LEN, 'Span.status');
        const sEnd = r.lenEnd();
        while (r.pos < sEnd) {
          const t = r.tag();
          if (t >>> 3 === 2 && (t & 7) === WIRE_LEN) statusMessage = r.string();
          else if (t >>> 3 === 3 && (t & 7) === WIRE_VARINT) statusCode = r.int32();
          else r.skip(t & 7);
        }
        break;
      }
      case 16:
        r.expect(wire, WIRE_I32, 'Span.flags');
        flags = r.fixed32();
        break;
      default:
        r.skip(wire);
    }
  }
  if (traceEnd - traceAt !== 16) {
    reject(out, `span "${name}": trace_id must be 16 bytes`);
    return;
  }
  if (spanEnd - spanAt !== 8) {
    reject(out, `span "${name}": span_id must be 8 bytes`);
    return;
  }
  const parentLength = parentEnd - parentAt;
  if (parentLength !== 0 && parentLength !== 8) {
    reject(out, `span "${name}": parent_span_id must be empty or 8 bytes`);
    return;
  }
  if (linkError) {
    reject(out, `span "${name}": ${linkError}`);
    return;
  }
  const buf = r.buf;
  if (isZeroBytes(buf, traceAt, traceEnd) || isZeroBytes(buf, spanAt, spanEnd)) {
    reject(out, `span "${name}": all-zero trace_id or span_id`);
    return;
  }
  out.rows.push({
    traceId: buf.toString('hex', traceAt, traceEnd),
    spanId: buf.toString('hex', spanAt, spanEnd),
    parentSpanId: parentLength === 8 ? buf.toString('hex', parentAt, parentEnd) : '',
    traceState,
    name,
    kind,
    startNs,
    endNs,
    statusCode,
    statusMessage,
    flags,
    attributes: attrs.json(),
    events: `[${events}]`,
    links: `[${links}]`,
    droppedAttributes,
    droppedEvents,
    droppedLinks,
    service: origin.service,
    origin,
  });
}

function readEvent(r: ProtobufReader, end: number): string {
  let time = 0n;
  let name = '';
  let dropped = 0;
  const attrs = new AttributeWriter();
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect(wire, WIRE_I64, 'Span.Event.time_unix_nano');
        time = r.fixed64();
        break;
      case 2:
        r.expect(wire, WIRE_LEN, 'Span.Event.name');
        name = r.string();
        break;
      case 3:
        r.expect(wire, WIRE_LEN, 'Span.Event.attributes');
        attrs.add(r, r.lenEnd());
        break;
      case 4:
        r.expect(wire, WIRE_VARINT, 'Span.Event.dropped_attributes_count');
        dropped = r.uint32();
        break;
      default:
        r.skip(wire);
    }
  }
  return `{"timeUnixNano":"${time}","name":${JSON.stringify(name)},"attributes":${attrs.json()},"droppedAttributesCount":${dropped}}`;
}

/** Returns the link's JSON, or '!reason' when its ids are invalid. */
function readLink(r: ProtobufReader, end: number): string {
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let traceState = '';
  let dropped = 0;
  let flags = 0;
  const attrs = new AttributeWriter();
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect(wire, WIRE_LEN, 'Span.Link.trace_id');
        traceId = r.bytes();
        break;
      case 2:
        r.expect(wire, WIRE_LEN, 'Span.Link.span_id');
        spanId = r.bytes();
        break;
      case 3:
        r.expect(wire, WIRE_LEN, 'Span.Link.trace_state');
        traceState = r.string();
        break;
      case 4:
        r.expect(wire, WIRE_LEN, 'Span.Link.attributes');
        attrs.add(r, r.lenEnd());
        break;
      case 5:
        r.expect(wire, WIRE_VARINT, 'Span.Link.dropped_attributes_count');
        dropped = r.uint32();
        break;
      case 6:
        r.expect(wire, WIRE_I32, 'Span.Link.flags');
        flags = r.fixed32();
        break;
      default:
        r.skip(wire);
    }
  }
  if (traceId?.length !== 16 || spanId?.length !== 8)
    return '!link trace_id must be 16 bytes and span_id 8 bytes';
  return `{"traceId":"${bytesToHex(traceId)}","spanId":"${bytesToHex(spanId)}","traceState":${JSON.stringify(traceState)},"flags":${flags},"attributes":${attrs.json()},"droppedAttributesCount":${dropped}}`;
}
