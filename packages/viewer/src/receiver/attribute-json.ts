/**
 * OTLP AnyValue / KeyValue (common.proto) decoded from protobuf straight into JSON text.
 * The mapping (documented in docs/viewer-api.md): string, bool, number (int64 outside ±2^53 as a decimal
 * string), double (NaN and ±Infinity as strings), arrays, kvlists as objects, bytes as `{"bytes": base64}`.
 */
import { type ProtobufReader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function intJson(v: bigint): string {
  return v > MAX_SAFE || v < -MAX_SAFE ? `"${v}"` : String(v);
}

export function doubleJson(v: number): string {
  return Number.isFinite(v) ? String(v) : `"${v}"`;
}

/** Scratch output of `readKeyValue`, so hot loops allocate nothing extra. */
export const lastKeyValue = { key: '', json: 'null', stringValue: undefined as string | undefined };

/** Reads one AnyValue occupying [r.pos, end) and returns its JSON text. */
export function readAnyValue(r: ProtobufReader, end: number): string {
  let out = 'null';
  lastKeyValue.stringValue = undefined;
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1: {
        r.expect(wire, WIRE_LEN, 'AnyValue.string_value');
        const s = r.string();
        lastKeyValue.stringValue = s;
        out = JSON.stringify(s);
        break;
      }
      case 2:
        r.expect(wire, WIRE_VARINT, 'AnyValue.bool_value');
        out = r.bool() ? 'true' : 'false';
        break;
      case 3:
        r.expect(wire, WIRE_VARINT, 'AnyValue.int_value');
        out = intJson(r.int64());
        break;
      case 4:
        r.expect(wire, WIRE_I64, 'AnyValue.double_value');
        out = doubleJson(r.double());
        break;
      case 5: {
        r.expect(wire, WIRE_LEN, 'AnyValue.array_value');
        const arrEnd = r.lenEnd();
        let items = '';
        while (r.pos < arrEnd) {
          const t = r.tag();
          if (t >>> 3 === 1 && (t & 7) === WIRE_LEN) {
            const vEnd = r.lenEnd();
            items += (items ? ',' : '') + readAnyValue(r, vEnd);
          } else r.skip(t & 7);
        }
        out = `[${items}]`;
        break;
      }
      case 6: {
        r.expect(wire, WIRE_LEN, 'AnyValue.kvlist_value');
        const listEnd = r.lenEnd();
        let items = '';
        while (r.pos < listEnd) {
          const t = r.tag();
          if (t >>> 3 === 1 && (t & 7) === WIRE_LEN) {
            const kvEnd = r.lenEnd();
            readKeyValue(r, kvEnd);
            items += `${items ? ',' : ''}${JSON.stringify(lastKeyValue.key)}:${lastKeyValue.json}`;
          } else r.skip(t & 7);
        }
        out = `{${items}}`;
        break;
      }
      case 7:
        r.expect(wire, WIRE_LEN, 'AnyValue.bytes_value');
        out = `{"bytes":"${Buffer.from(r.bytes()).toString('base64')}"}`;
        break;
      default:
        r.skip(wire);
    }
  }
  if (out.charCodeAt(0) !== 34) lastKeyValue.stringValue = undefined;
  return out;
}

/** Reads one KeyValue in [r.pos, end) into `lastKeyValue`. */
export function readKeyValue(r: ProtobufReader, end: number): void {
  let key = '';
  let json = 'null';
  let stringValue: string | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(wire, WIRE_LEN, 'KeyValue.key');
      key = r.string();
    } else if (field === 2) {
      r.expect(wire, WIRE_LEN, 'KeyValue.value');
      const vEnd = r.lenEnd();
      json = readAnyValue(r, vEnd);
      stringValue = lastKeyValue.stringValue;
    } else r.skip(wire);
  }
  lastKeyValue.key = key;
  lastKeyValue.json = json;
  lastKeyValue.stringValue = stringValue;
}

/**
 * Accumulates repeated KeyValue fields into one JSON object text. Duplicate keys keep the last value
 * (later wins, as maps do), which JSON parsers also do with duplicate members.
 */
export class AttributeWriter {
  private text = '';

  add(r: ProtobufReader, end: number): void {
    readKeyValue(r, end);
    this.text += `${this.text ? ',' : ''}${JSON.stringify(lastKeyValue.key)}:${lastKeyValue.json}`;
  }

  json(): string {
    const t = `{${this.text}}`;
    this.text = '';
    return t;
  }
}
