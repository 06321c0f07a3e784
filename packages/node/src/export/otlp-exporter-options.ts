import { createRequire } from 'node:module';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { ResolvedOtlp } from '../config/resolve.js';

const require = createRequire(import.meta.url);

/** Options understood by the official OTLP/HTTP exporters (protobuf and JSON). */
export function httpExporterOptions(otlp: ResolvedOtlp) {
  return {
    url: otlp.url,
    headers: { ...otlp.headers },
    timeoutMillis: otlp.timeoutMillis,
    compression:
      otlp.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
  };
}

/** Options understood by the official OTLP/gRPC exporters; headers travel as gRPC metadata. */
export function grpcExporterOptions(otlp: ResolvedOtlp) {
  // grpc-js is loaded only when gRPC is chosen: it is the heaviest module of the exporters.
  const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(otlp.headers)) metadata.set(key, value);
  return {
    url: otlp.url,
    metadata,
    timeoutMillis: otlp.timeoutMillis,
    compression:
      otlp.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
  };
}

/** Loads an optional module synchronously, so `init()` stays synchronous and pays only for what it uses. */
export function loadModule<T>(name: string): T {
  return require(name) as T;
}
