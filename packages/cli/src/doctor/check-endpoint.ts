/**
 * The network half of `sightline doctor`: sends each OTLP endpoint an empty export request (a
 * valid request with no data, which every OTLP receiver must accept) and reports what answered.
 */
import * as grpc from '@grpc/grpc-js';
import type { ResolvedOtlp } from '@sightline/node';

export type Signal = 'traces' | 'metrics' | 'logs';

export interface EndpointCheck {
  signal: Signal;
  url: string;
  protocol: ResolvedOtlp['protocol'];
  ok: boolean;
  /** HTTP status, or the gRPC status code, when something answered. */
  status?: number;
  durationMs: number;
  /** What happened, for people. */
  detail: string;
}

const GRPC_SERVICES: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/**
 * Checks that `otlp` answers an empty OTLP export of `signal`, within `timeoutMs`.
 *
 * @example
 * ```ts
 * const check = await checkEndpoint('traces', config.traces.otlp, 3000);
 * if (!check.ok) console.error(check.detail);
 * ```
 */
export async function checkEndpoint(
  signal: Signal,
  otlp: ResolvedOtlp,
  timeoutMs: number,
): Promise<EndpointCheck> {
  const started = performance.now();
  const result = (ok: boolean, detail: string, status?: number): EndpointCheck => ({
    signal,
    url: otlp.url,
    protocol: otlp.protocol,
    ok,
    ...(status === undefined ? {} : { status }),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    detail,
  });
  if (otlp.protocol === 'grpc') return checkGrpc(signal, otlp, timeoutMs, result);

  const json = otlp.protocol === 'http/json';
  try {
    const response = await fetch(otlp.url, {
      method: 'POST',
      headers: {
        ...otlp.headers,
        'content-type': json ? 'application/json' : 'application/x-protobuf',
      },
      body: json ? '{}' : new Uint8Array(0),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const type = response.headers.get('content-type') ?? '';
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) {
      const expected = json ? 'application/json' : 'application/x-protobuf';
      return type.includes(expected)
        ? result(true, `answers OTLP (HTTP ${response.status})`, response.status)
        : result(
            false,
            `answered HTTP ${response.status} with ${type || 'no content type'}, not an OTLP response (${expected}); is this an OTLP receiver?`,
            response.status,
          );
    }
    const why: Record<number, string> = {
      401: 'it wants credentials (set OTEL_EXPORTER_OTLP_HEADERS, e.g. authorization=Bearer <token>)',
      403: 'it refused the credentials in OTEL_EXPORTER_OTLP_HEADERS',
      404: 'nothing is served at this path (an OTLP/HTTP receiver listens on /v1/<signal>)',
      405: 'this path does not accept POST, so it is not an OTLP endpoint',
      415: `it does not accept ${json ? 'JSON' : 'protobuf'}; try another OTEL_EXPORTER_OTLP_PROTOCOL`,
    };
    return result(
      false,
      `answered HTTP ${response.status}: ${why[response.status] ?? 'an OTLP receiver answers an empty export with 200'}`,
      response.status,
    );
  } catch (error) {
    return result(false, describeNetworkError(error, otlp.url, timeoutMs));
  }
}

function checkGrpc(
  signal: Signal,
  otlp: ResolvedOtlp,
  timeoutMs: number,
  result: (ok: boolean, detail: string, status?: number) => EndpointCheck,
): Promise<EndpointCheck> {
  let target: string;
  let secure: boolean;
  try {
    const url = new URL(otlp.url);
    secure = url.protocol === 'https:';
    target = `${url.hostname}:${url.port || (secure ? 443 : 80)}`;
  } catch {
    return Promise.resolve(result(false, `${otlp.url} is not a URL`));
  }
  const client = new grpc.Client(
    target,
    secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(),
  );
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(otlp.headers)) metadata.set(key, value);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      GRPC_SERVICES[signal],
      (request: Buffer) => request,
      (response: Buffer) => response,
      Buffer.alloc(0),
      metadata,
      { deadline: Date.now() + timeoutMs },
      (error) => {
        client.close();
        if (error) error.details = error.details.split('. Resolution note')[0] ?? error.details;
        if (!error) resolve(result(true, 'answers OTLP/gRPC (OK)', 0));
        else if (error.code === grpc.status.UNIMPLEMENTED)
          resolve(
            result(
              false,
              `gRPC answered UNIMPLEMENTED: no OTLP ${signal} service there`,
              error.code,
            ),
          );
        else if (
          error.code === grpc.status.UNAVAILABLE ||
          error.code === grpc.status.DEADLINE_EXCEEDED
        )
          resolve(
            result(
              false,
              `no OTLP/gRPC receiver answered at ${target} (${error.details})`,
              error.code,
            ),
          );
        else resolve(result(false, `gRPC error ${error.code}: ${error.details}`, error.code));
      },
    );
  });
}

function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { name?: string }).name;
  if (code === 'ECONNREFUSED')
    return `nothing listens at ${url} (connection refused); start \`sightline dev\` or point OTEL_EXPORTER_OTLP_ENDPOINT at your collector`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host of ${url} does not resolve`;
  if (code === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return `no answer from ${url} within ${timeoutMs} ms`;
  return `the request to ${url} failed: ${cause?.message ?? (error as Error).message}`;
}
