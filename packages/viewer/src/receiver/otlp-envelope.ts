/**
 * The envelope OTLP export requests share: request → resource_X (1) → { resource (1), scope_X (2) }
 * → { scope (1), items (2) }. The resource and the scope may come after what they describe on the
 * wire, so each level remembers its children's ranges and decodes them once it has read them all.
 */
import { ProtobufReader, WIRE_LEN } from './protobuf-reader.js';
import {
  EMPTY_RESOURCE,
  EMPTY_SCOPE,
  type ResourceInfo,
  readResource,
  readScope,
  type ScopeInfo,
} from './resource-scope.js';
import { type Decoded, emptyDecoded } from './rows.js';

/** The proto field names of one signal's envelope, for error messages. */
export interface EnvelopeFields {
  /** e.g. `ExportLogsServiceRequest.resource_logs` */
  readonly resources: string;
  /** e.g. `ResourceLogs` */
  readonly resourceMessage: string;
  /** e.g. `scope_logs` */
  readonly scopes: string;
  /** e.g. `ScopeLogs` */
  readonly scopeMessage: string;
  /** e.g. `log_records` */
  readonly items: string;
}

/** Reads one item (a log record, a metric) between `r.pos` and `end` into `out`. */
export type ItemReader<Row> = (
  r: ProtobufReader,
  end: number,
  resource: ResourceInfo,
  scope: ScopeInfo,
  out: Decoded<Row>,
) => void;

export function decodeEnvelope<Row>(
  buf: Uint8Array,
  fields: EnvelopeFields,
  readItem: ItemReader<Row>,
): Decoded<Row> {
  const out = emptyDecoded<Row>();
  const r = new ProtobufReader(buf);
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag & 7, WIRE_LEN, fields.resources);
      const end = r.lenEnd();
      let resource = EMPTY_RESOURCE;
      const scopes = childRanges(
        r,
        end,
        `${fields.resourceMessage}.resource`,
        `${fields.resourceMessage}.${fields.scopes}`,
        (e) => {
          resource = readResource(r, e);
        },
      );
      for (let i = 0; i < scopes.length; i += 2) {
        r.pos = scopes[i] as number;
        const scopeEnd = scopes[i + 1] as number;
        let scope = EMPTY_SCOPE;
        const items = childRanges(
          r,
          scopeEnd,
          `${fields.scopeMessage}.scope`,
          `${fields.scopeMessage}.${fields.items}`,
          (e) => {
            scope = readScope(r, e);
          },
        );
        for (let j = 0; j < items.length; j += 2) {
          r.pos = items[j] as number;
          readItem(r, items[j + 1] as number, resource, scope, out);
        }
        r.pos = scopeEnd;
      }
      r.pos = end;
    } else r.skip(tag & 7);
  }
  return out;
}

/**
 * Walks one message up to `end`: field 1 (its resource or scope) goes to `readHead`, the ranges
 * of the repeated field 2 are returned as [start, end, start, end, …] to decode afterwards.
 */
function childRanges(
  r: ProtobufReader,
  end: number,
  headName: string,
  childName: string,
  readHead: (end: number) => void,
): number[] {
  const ranges: number[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag & 7, WIRE_LEN, headName);
      readHead(r.lenEnd());
    } else if (tag >>> 3 === 2) {
      r.expect(tag & 7, WIRE_LEN, childName);
      const e = r.lenEnd();
      ranges.push(r.pos, e);
      r.pos = e;
    } else r.skip(tag & 7);
  }
  return ranges;
}
