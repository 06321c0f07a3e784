/** Resource and InstrumentationScope messages (resource.proto, common.proto), shared by the three signals. */
import { AttributeWriter, lastKeyValue } from './attribute-json.js';
import { type ProtobufReader, WIRE_LEN, WIRE_VARINT } from './protobuf-reader.js';

export interface ResourceInfo {
  /** The resource attributes as a JSON object. */
  json: string;
  /** `service.name`, or 'unknown_service' (the SDK default) when absent. */
  service: string;
}

export interface ScopeInfo {
  name: string;
  version: string;
  attributes: string;
}

export const EMPTY_RESOURCE: ResourceInfo = { json: '{}', service: 'unknown_service' };
export const EMPTY_SCOPE: ScopeInfo = { name: '', version: '', attributes: '{}' };

export function readResource(r: ProtobufReader, end: number): ResourceInfo {
  const attrs = new AttributeWriter();
  let service = EMPTY_RESOURCE.service;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag & 7, WIRE_LEN, 'Resource.attributes');
      attrs.add(r, r.lenEnd());
      if (lastKeyValue.key === 'service.name' && lastKeyValue.stringValue !== undefined)
        service = lastKeyValue.stringValue;
    } else r.skip(tag & 7);
  }
  return { json: attrs.json(), service };
}

export function readScope(r: ProtobufReader, end: number): ScopeInfo {
  const attrs = new AttributeWriter();
  let name = '';
  let version = '';
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect(wire, WIRE_LEN, 'InstrumentationScope.name');
        name = r.string();
        break;
      case 2:
        r.expect(wire, WIRE_LEN, 'InstrumentationScope.version');
        version = r.string();
        break;
      case 3:
        r.expect(wire, WIRE_LEN, 'InstrumentationScope.attributes');
        attrs.add(r, r.lenEnd());
        break;
      case 4:
        r.expect(wire, WIRE_VARINT, 'InstrumentationScope.dropped_attributes_count');
        r.uint32();
        break;
      default:
        r.skip(wire);
    }
  }
  return { name, version, attributes: attrs.json() };
}
