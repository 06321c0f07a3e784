import type { ClientRequest, IncomingMessage } from 'node:http';
import {
  type Attributes,
  context,
  propagation,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { warnOnce } from '../../diagnostics/warn-once.js';
import { splitAbsoluteUrl } from './absolute-url.js';
import {
  CLIENT_STATE,
  endClientSpan,
  startClientSpan,
  type WithClientState,
} from './client-span.js';
import { captureHeaders, contentLength, fromHeaders, fromOutgoing } from './header-capture.js';
import type { ResolvedHttpOptions } from './http-instrumentation-options.js';
import { httpTelemetry } from './http-telemetry.js';
import { redactTarget, redactUrl } from './redact-url.js';

type TracedClientRequest = ClientRequest & WithClientState;

interface ClientMessage {
  request: TracedClientRequest;
  response?: IncomingMessage;
  error?: unknown;
}

const REQUEST_HEADER_SETTER: TextMapSetter<ClientRequest> = {
  set(request, key, value) {
    request.setHeader(key, value);
  },
};

/** The subscribers of the `node:http` client channels. */
export interface HttpClientInstrumentation {
  onRequestCreated(message: unknown): void;
  onRequestStart(message: unknown): void;
  onResponseFinish(message: unknown): void;
  onRequestError(message: unknown): void;
}

/**
 * CLIENT spans and `http.client.request.duration` for `node:http`/`node:https` requests. The span
 * starts when the `ClientRequest` is created (in the caller's context, where the trace context is
 * injected into its headers) and ends when the response headers arrive or the request fails.
 *
 * `error.type` values: the status code for responses >= 400; else the Node error code
 * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, `ABORT_ERR` …) or the error's name.
 */
export function createHttpClientInstrumentation(
  options: ResolvedHttpOptions,
): HttpClientInstrumentation {
  function start(request: TracedClientRequest, inject: boolean): void {
    if (request[CLIENT_STATE] !== undefined) return;
    const telemetry = httpTelemetry();
    if (telemetry === undefined) return;
    const parent = context.active();
    // The SDK's own exports run under suppressTracing: tracing them would feed the exporter itself.
    if (isTracingSuppressed(parent)) {
      request[CLIENT_STATE] = null;
      return;
    }
    const scheme = request.protocol === 'https:' ? 'https' : 'http';
    const host = request.getHeader('host');
    let authority = typeof host === 'string' ? host : request.host;
    let url = `${scheme}://${authority}${redactTarget(request.path)}`;
    // absolute-form, as sent to a forward proxy: the path is the full URL.
    const absolute =
      request.path.charCodeAt(0) === 47 /* / */ ? undefined : splitAbsoluteUrl(request.path);
    if (absolute !== undefined) {
      url = redactUrl(request.path);
      authority = absolute.authority;
    }
    const state = startClientSpan(telemetry, options, parent, {
      method: request.method,
      scheme,
      authority,
      url,
      headers: request,
      header: fromOutgoing,
    });
    request[CLIENT_STATE] = state;
    // Headers can be set until the constructor has stored them (array headers are stored at once).
    if (inject && !request.headersSent)
      propagation.inject(trace.setSpan(parent, state.span), request, REQUEST_HEADER_SETTER);
  }

  function finish({ request, response, error }: ClientMessage): void {
    const state = request[CLIENT_STATE];
    if (state === undefined || state === null || state.ended) return;
    let attributes: Attributes | undefined;
    if (state.span.isRecording()) {
      attributes = {};
      const sent = contentLength(request.getHeader('content-length'));
      if (sent !== undefined) attributes['http.request.body.size'] = sent;
      if (response !== undefined) {
        const received = contentLength(response.headers['content-length']);
        if (received !== undefined) attributes['http.response.body.size'] = received;
        captureHeaders(attributes, options.responseHeaders, response.headers, fromHeaders);
      }
    }
    endClientSpan(
      state,
      response?.statusCode,
      response === undefined ? error : undefined,
      response?.httpVersion,
      attributes,
    );
  }

  function guarded(key: string, fn: (message: ClientMessage) => void): (message: unknown) => void {
    return (message) => {
      try {
        fn(message as ClientMessage);
      } catch (error) {
        warnOnce(key, `HTTP client instrumentation failed: ${String(error)}`);
      }
    };
  }

  return {
    onRequestCreated: guarded('http.client.created', ({ request }) => start(request, true)),
    // Only for runtimes without `http.client.request.created`: the headers are sent by now, so
    // the span is recorded but the trace context cannot be injected.
    onRequestStart: guarded('http.client.start', ({ request }) => start(request, false)),
    onResponseFinish: guarded('http.client.finish', finish),
    onRequestError: guarded('http.client.error', ({ request, error }) =>
      finish({ request, error: error ?? new Error('request failed') }),
    ),
  };
}
