/**
 * OTLP/gRPC: the Trace, Metrics and Logs `Export` methods on @grpc/grpc-js, with our own protobuf decoder
 * (the messages are passed through as raw bytes). INVALID_ARGUMENT for undecodable requests,
 * RESOURCE_EXHAUSTED (with retry pushback) when the queue is full, UNAVAILABLE when the store cannot commit,
 * UNAUTHENTICATED without the token.
 */
import * as grpc from '@grpc/grpc-js';
import { exportResponse } from './export-response.js';
import { type IngestTarget, ingest } from './ingest-target.js';
import type { Signal } from './rows.js';

const SERVICES: [Signal, string][] = [
  ['traces', 'opentelemetry.proto.collector.trace.v1.TraceService'],
  ['metrics', 'opentelemetry.proto.collector.metrics.v1.MetricsService'],
  ['logs', 'opentelemetry.proto.collector.logs.v1.LogsService'],
];

const identity = (b: Buffer): Buffer => b;

export interface GrpcServerOptions {
  host: string;
  port: number;
  /** Largest accepted message, after decompression. */
  maxMessageBytes: number;
  /** Checks the `authorization` metadata; undefined when no token is set. */
  authorize?: (authorization: string | undefined) => boolean;
}

export interface GrpcListener {
  port: number;
  close(): Promise<void>;
}

export async function startGrpcServer(
  target: IngestTarget,
  options: GrpcServerOptions,
): Promise<GrpcListener> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 1024 * 1024,
  });
  for (const [signal, service] of SERVICES) {
    const definition: grpc.ServiceDefinition = {
      Export: {
        path: `/${service}/Export`,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    };
    server.addService(definition, {
      Export: (
        call: grpc.ServerUnaryCall<Buffer, Buffer>,
        callback: grpc.sendUnaryData<Buffer>,
      ): void => {
        if (options.authorize) {
          const auth = call.metadata.get('authorization')[0];
          if (!options.authorize(typeof auth === 'string' ? auth : undefined)) {
            callback({
              code: grpc.status.UNAUTHENTICATED,
              details: 'a valid bearer token is required',
            });
            return;
          }
        }
        void ingest(target, signal, 'protobuf', call.request).then(
          (outcome) => {
            if (outcome.kind === 'ok')
              callback(null, exportResponse(signal, 'protobuf', outcome.rejected, outcome.message));
            else if (outcome.kind === 'bad')
              callback({ code: grpc.status.INVALID_ARGUMENT, details: outcome.message });
            else if (outcome.kind === 'full') {
              const md = new grpc.Metadata();
              md.set('grpc-retry-pushback-ms', '1000');
              callback({
                code: grpc.status.RESOURCE_EXHAUSTED,
                details: 'the ingest queue is full; retry later',
                metadata: md,
              });
            } else callback({ code: grpc.status.UNAVAILABLE, details: outcome.message });
          },
          (error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
        );
      },
    });
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
