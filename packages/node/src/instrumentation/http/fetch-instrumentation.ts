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
import { captureHeaders, contentLength, rawHeaderValues } from './header-capture.js';
import type { ResolvedHttpOptions } from './http-instrumentation-options.js';
import { httpTelemetry } from './http-telemetry.js';
import { redactUrl } from './redact-url.js';

/** The part of undici's `Request` (the dispatcher's, not fetch's) that its channels hand out. */
interface UndiciRequest extends WithClientState {
  /** `http://host:port`, a string (or a URL in some versions). */
  readonly origin: string | URL;
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** `[name, value, …]` (undici 6+) or raw `name: value\r\n` text (undici 5). */
  readonly headers: string[] | string;
  addHeader(name: string, value: string): unknown;
}

interface UndiciResponse {
  readonly statusCode: number;
  /** `[name, value, …]` as Buffers, names in the server's case. */
  readonly headers: Array<Buffer | string>;
}

interface UndiciMessage {
  request: UndiciRequest;
  response?: UndiciResponse;
  error?: unknown;
}

// Replaces a header the app set itself (e.g. its own `inject()`): two `traceparent` values would be
// joined into one invalid header, and the server would see no parent at all.
const ADD_HEADER_SETTER: TextMapSetter<UndiciRequest> = {
  set(request, key, value) {
    const headers = request.headers;
    if (Array.isArray(headers)) {
      for (let i = 0; i < headers.length; i += 2) {
        if (String(headers[i]).toLowerCase() === key) {
          headers[i + 1] = value;
          return;
        }
      }
    }
    request.addHeader(key, value);
  },
};

/** The subscribers of undici's channels. */
export interface FetchInstrumentation {
  onRequestCreate(message: unknown): void;
  onRequestHeaders(message: unknown): void;
  onRequestError(message: unknown): void;
}

/**
 * CLIENT spans and `http.client.request.duration` for `fetch` (Node's bundled undici) and userland
 * undici. One span per request undici sends, so each redirect is its own span. The span ends when
 * the response headers arrive, like the `node:http` one: a body the app never reads must not keep
 * it open (semconv, "HTTP client span duration").
 *
 * `error.type` values: the status code for responses >= 400; else the error's code
 * (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `UND_ERR_SOCKET` …) or name (`AbortError`, `TimeoutError`).
 */
export function createFetchInstrumentation(options: ResolvedHttpOptions): FetchInstrumentation {
  function create({ request }: UndiciMessage): void {
    if (request[CLIENT_STATE] !== undefined) return;
    const telemetry = httpTelemetry();
    if (telemetry === undefined) return;
    // fetch() reaches undici through promise jobs, which carry the caller's context here.
    const parent = context.active();
    if (isTracingSuppressed(parent)) {
      request[CLIENT_STATE] = null;
      return;
    }
    // Through a proxy, undici sends the absolute URL as the path and the origin is the proxy's.
    const target =
      request.path.charCodeAt(0) === 47 /* / */
        ? `${String(request.origin).replace(/\/$/, '')}${request.path}`
        : request.path;
    const url = splitAbsoluteUrl(target);
    const state = startClientSpan(telemetry, options, parent, {
      method: request.method,
      scheme: url?.scheme ?? 'http',
      authority: url?.authority ?? '',
      url: redactUrl(target),
      headers: request.headers,
      header: rawHeaderValues,
    });
    request[CLIENT_STATE] = state;
    propagation.inject(trace.setSpan(parent, state.span), request, ADD_HEADER_SETTER);
  }

  function finish({ request, response, error }: UndiciMessage): void {
    const state = request[CLIENT_STATE];
    if (state === undefined || state === null || state.ended) return;
    let attributes: Attributes | undefined;
    if (state.span.isRecording()) {
      attributes = {};
      const sent = contentLength(rawHeaderValues(request.headers, 'content-length'));
      if (sent !== undefined) attributes['http.request.body.size'] = sent;
      if (response !== undefined) {
        const received = contentLength(rawHeaderValues(response.headers, 'content-length'));
        if (received !== undefined) attributes['http.response.body.size'] = received;
        captureHeaders(attributes, options.responseHeaders, response.headers, rawHeaderValues);
      }
    }
    // undici does not say which HTTP version it spoke, so network.protocol.version stays unset.
    endClientSpan(
      state,
      response?.statusCode,
      response === undefined ? error : undefined,
      undefined,
      attributes,
    );
  }

  function guarded(key: string, fn: (message: UndiciMessage) => void): (message: unknown) => void {
    return (message) => {
      try {
        fn(message as UndiciMessage);
      } catch (error) {
        warnOnce(key, `fetch instrumentation failed: ${String(error)}`);
      }
    };
  }

  return {
    onRequestCreate: guarded('undici.create', create),
    onRequestHeaders: guarded('undici.headers', finish),
    onRequestError: guarded('undici.error', ({ request, error }) =>
      finish({ request, error: error ?? new Error('request failed') }),
    ),
  };
}
