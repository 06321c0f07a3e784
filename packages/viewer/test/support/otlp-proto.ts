/**
 * Builds OTLP protobuf payloads by hand from the official .proto schema (protobufjs), for what the JS SDK
 * cannot emit (summaries, exemplars, exponential histograms with negative buckets, bad ids). Test-only: the
 * viewer's own decoder never uses it.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(new URL('../../../../node/test/support/proto/', import.meta.url));

let root: protobuf.Root | undefined;

function load(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => (target.startsWith('/') ? target : PROTO_ROOT + target);
  r.loadSync(
    [
      'opentelemetry/proto/collector/trace/v1/trace_service.proto',
      'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
      'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    ],
    { keepCase: false },
  );
  root = r;
  return r;
}

const TYPES = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
} as const;

/** Encodes a plain object (protobufjs camelCase field names, bytes as Buffers, 64-bit as strings). */
export function encode(signal: keyof typeof TYPES, message: Record<string, unknown>): Uint8Array {
  const type = load().lookupType(TYPES[signal]);
  const err = type.verify(message);
  if (err) throw new Error(`bad test payload: ${err}`);
  return type.encode(type.fromObject(message)).finish();
}
