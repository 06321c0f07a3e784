import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
} from '@opentelemetry/api';
import { keyPart } from '../../metrics/keyed-histogram.js';
import { setServerAuthority } from './authority.js';
import { errorMessageOf, errorTypeOf } from './error-type.js';
import { captureHeaders } from './header-capture.js';
import type { ResolvedHttpOptions } from './http-instrumentation-options.js';
import type { HttpTelemetry } from './http-telemetry.js';
import { normalizeMethod, spanNameMethod } from './request-method.js';

/**
 * Per-request state of an outgoing request (a `ClientRequest` or an undici request), on the request
 * object under a global symbol. `null` marks a request seen and deliberately not traced (e.g. the
 * SDK's own export), so a later channel does not start a span for it after all.
 */
export const CLIENT_STATE: unique symbol = Symbol.for('sightline.http.client.state') as never;

export interface ClientRequestState {
  readonly span: Span;
  readonly telemetry: HttpTelemetry;
  readonly startTime: number;
  readonly method: string;
  readonly address: string | undefined;
  readonly port: number | undefined;
  ended: boolean;
}

export interface WithClientState {
  [CLIENT_STATE]?: ClientRequestState | null;
}

/** What an outgoing request is, as both clients can tell at creation. */
export interface OutgoingRequest<H> {
  readonly method: string;
  readonly scheme: string;
  /** `host[:port]`, from the `Host` header or the origin. */
  readonly authority: string;
  /** `url.full`, already redacted. */
  readonly url: string;
  /** The request headers, read through `header` for the allow-listed ones. */
  readonly headers: H;
  readonly header: (headers: H, name: string) => string | number | readonly string[] | undefined;
}

/** Starts the CLIENT span of an outgoing request under `parent` (the caller's context). */
export function startClientSpan<H>(
  telemetry: HttpTelemetry,
  options: ResolvedHttpOptions,
  parent: Context,
  request: OutgoingRequest<H>,
): ClientRequestState {
  const method = normalizeMethod(request.method, options.knownMethods);
  const attributes: Attributes = { 'http.request.method': method, 'url.full': request.url };
  if (method !== request.method) attributes['http.request.method_original'] = request.method;
  setServerAuthority(attributes, request.authority, request.scheme === 'https' ? 443 : 80);
  captureHeaders(attributes, options.requestHeaders, request.headers, request.header);
  const span = telemetry.tracer.startSpan(
    spanNameMethod(method),
    { kind: SpanKind.CLIENT, attributes },
    parent,
  );
  return {
    span,
    telemetry,
    startTime: performance.now(),
    method,
    address: attributes['server.address'] as string | undefined,
    port: attributes['server.port'] as number | undefined,
    ended: false,
  };
}

/**
 * Ends the span once the response headers arrived (`status`) or the request failed (`error`), and
 * records `http.client.request.duration`. Status ERROR for a status >= 400 (semconv, client side)
 * or an error; `error.type` is the status code or the error's code or name.
 */
export function endClientSpan(
  state: ClientRequestState,
  status: number | undefined,
  error: unknown,
  protocolVersion: string | undefined,
  attributes: Attributes | undefined,
): void {
  state.ended = true;
  const errorType =
    error !== undefined
      ? errorTypeOf(error)
      : status !== undefined && status >= 400
        ? String(status)
        : undefined;
  const { span } = state;
  if (span.isRecording()) {
    const end: Attributes = attributes ?? {};
    if (status !== undefined) end['http.response.status_code'] = status;
    if (protocolVersion !== undefined) end['network.protocol.version'] = protocolVersion;
    if (errorType !== undefined) {
      end['error.type'] = errorType;
      const message = error === undefined ? undefined : errorMessageOf(error);
      span.setStatus(
        message === undefined
          ? { code: SpanStatusCode.ERROR }
          : { code: SpanStatusCode.ERROR, message },
      );
    }
    span.setAttributes(end);
  }
  span.end();
  const key = `${state.method} ${keyPart(status)}${keyPart(protocolVersion)}${keyPart(state.port)}${keyPart(errorType)}${keyPart(state.address)}`;
  const histogram = state.telemetry.clientDuration;
  const seconds = (performance.now() - state.startTime) / 1000;
  const point =
    histogram.point(key) ??
    histogram.bind(key, clientMetricAttributes(state, status, protocolVersion, errorType));
  point.record(seconds);
}

function clientMetricAttributes(
  state: ClientRequestState,
  status: number | undefined,
  protocolVersion: string | undefined,
  errorType: string | undefined,
): Attributes {
  const metric: Attributes = { 'http.request.method': state.method };
  if (state.address !== undefined) metric['server.address'] = state.address;
  if (state.port !== undefined) metric['server.port'] = state.port;
  if (status !== undefined) metric['http.response.status_code'] = status;
  if (protocolVersion !== undefined) metric['network.protocol.version'] = protocolVersion;
  if (errorType !== undefined) metric['error.type'] = errorType;
  return metric;
}
