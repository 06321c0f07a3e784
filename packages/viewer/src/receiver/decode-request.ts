/** Picks the decoder for a signal and encoding. */
import { decodeLogsProtobuf } from './decode-logs.js';
import { decodeMetricsProtobuf } from './decode-metrics.js';
import { decodeTracesProtobuf } from './decode-traces.js';
import { decodeLogsJson } from './json-logs.js';
import { decodeMetricsJson } from './json-metrics.js';
import { decodeTracesJson } from './json-traces.js';
import type { DecodedBatch, Signal } from './rows.js';

export type Encoding = 'protobuf' | 'json';

/** Decodes one Export*ServiceRequest; throws ProtobufError / OtlpJsonError on malformed input. */
export function decodeRequest(signal: Signal, encoding: Encoding, body: Uint8Array): DecodedBatch {
  if (signal === 'traces')
    return {
      signal,
      data: encoding === 'json' ? decodeTracesJson(body) : decodeTracesProtobuf(body),
    };
  if (signal === 'metrics')
    return {
      signal,
      data: encoding === 'json' ? decodeMetricsJson(body) : decodeMetricsProtobuf(body),
    };
  return { signal, data: encoding === 'json' ? decodeLogsJson(body) : decodeLogsProtobuf(body) };
}
