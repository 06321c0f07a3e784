/**
 * Export*ServiceResponse (with partial_success) and google.rpc.Status bodies, in protobuf or JSON, as the
 * OTLP specification asks: the response uses the request's encoding.
 */
import type { Encoding } from './decode-request.js';
import type { Signal } from './rows.js';

const REJECTED_FIELD: Record<Signal, string> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function lenField(field: number, bytes: Uint8Array): number[] {
  return [(field << 3) | 2, ...varint(bytes.length), ...bytes];
}

/** An Export*ServiceResponse; empty when nothing was rejected. */
export function exportResponse(
  signal: Signal,
  encoding: Encoding,
  rejected: number,
  message: string,
): Buffer {
  if (encoding === 'json') {
    if (rejected === 0 && !message) return Buffer.from('{}');
    return Buffer.from(
      JSON.stringify({
        partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage: message },
      }),
    );
  }
  if (rejected === 0 && !message) return Buffer.alloc(0);
  const inner: number[] = [];
  if (rejected > 0) inner.push(1 << 3, ...varint(rejected));
  if (message) inner.push(...lenField(2, Buffer.from(message, 'utf8')));
  return Buffer.from(lenField(1, Uint8Array.from(inner)));
}

/** A google.rpc.Status with a gRPC code and a message, for 4xx/5xx bodies. */
export function statusBody(encoding: Encoding, grpcCode: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code: grpcCode, message }));
  return Buffer.from([
    (1 << 3) | 0,
    ...varint(grpcCode),
    ...lenField(2, Buffer.from(message, 'utf8')),
  ]);
}
