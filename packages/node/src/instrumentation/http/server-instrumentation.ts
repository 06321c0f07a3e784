import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { LeanContext } from '../../context/lean-context.js';
import { warnOnce } from '../../diagnostics/warn-once.js';
import { type HistogramRecorder, keyPart } from '../../metrics/keyed-histogram.js';
import { LeanSpan } from '../../trace/lean-span.js';
import { OWNED_ATTRIBUTES, type OwnedSpanOptions } from '../../trace/lean-tracer.js';
import { splitAbsoluteUrl } from './absolute-url.js';
import { activeRequests } from './active-requests.js';
import { firstHeaderEntry, setServerAuthority } from './authority.js';
import { bindRequestEvents, hasBody } from './bind-request-events.js';
import { captureHeaders, contentLength, fromHeaders, fromOutgoing } from './header-capture.js';
import { isIgnoredPath, type ResolvedHttpOptions } from './http-instrumentation-options.js';
import { httpTelemetry } from './http-telemetry.js';
import { emptyServerHeaders, rawHeadersGetter, readServerHeaders } from './raw-request-headers.js';
import { redactQuery } from './redact-url.js';
import { normalizeMethod, spanNameMethod } from './request-method.js';
import {
  SERVER_STATE,
  SERVER_STATE_KEY,
  type ServerRequestState,
  type WithServerState,
} from './server-request-state.js';
import { traceResponseValue } from './trace-response.js';

/** The message of `http.server.request.start` and `http.server.response.finish`. */
interface ServerMessage {
  request: IncomingMessage & WithServerState;
  response: ServerResponse;
  socket: Socket & { encrypted?: boolean };
}

/** The `http.server.request.duration` point of a request's attribute set. */
function durationPoint(
  state: ServerRequestState,
  status: number | undefined,
  errorType: string | undefined,
): HistogramRecorder {
  const histogram = state.telemetry.serverDuration;
  const { route, protocolVersion } = state;
  const last = state.active.lastDuration;
  if (
    last !== undefined &&
    last.status === status &&
    last.route === route &&
    last.errorType === errorType &&
    last.protocolVersion === protocolVersion &&
    last.histogram === histogram
  ) {
    return last.point;
  }
  // One key per attribute set: the method is a known one or _OTHER, the scheme http(s).
  const key = `${state.method} ${state.scheme} ${keyPart(status)}${keyPart(errorType)}${keyPart(protocolVersion)}${keyPart(route)}`;
  const point =
    histogram.point(key) ?? histogram.bind(key, serverMetricAttributes(state, status, errorType));
  state.active.lastDuration = { histogram, status, errorType, protocolVersion, route, point };
  return point;
}

function serverMetricAttributes(
  state: ServerRequestState,
  status: number | undefined,
  errorType: string | undefined,
): Attributes {
  const metric: Attributes = {
    'http.request.method': state.method,
    'url.scheme': state.scheme,
    'network.protocol.version': state.protocolVersion,
  };
  if (status !== undefined) metric['http.response.status_code'] = status;
  if (state.route !== undefined) metric['http.route'] = state.route;
  if (errorType !== undefined) metric['error.type'] = errorType;
  return metric;
}

/** The subscribers of the HTTP server channels. */
export interface ServerInstrumentation {
  onRequestStart(message: unknown): void;
  onResponseFinish(message: unknown): void;
  /**
   * Calls `callback` once every request started so far has ended (at once if none is open): a
   * disabled instrumentation listens for the finish of those until then.
   */
  afterLast(callback: () => void): void;
}

/** A socket with the requests one instrumentation watches on it (see `connectionOf`). */
type WatchedSocket = Socket & { [key: symbol]: ServerRequestState[] | undefined };

/**
 * SERVER spans and `http.server.*` metrics for `node:http`/`node:https` servers.
 *
 * `error.type` values: the status code (`"500"` …) for 5xx responses; `aborted` when the response
 * closed before it finished (client went away, socket destroyed, server timeout).
 */
export function createServerInstrumentation(options: ResolvedHttpOptions): ServerInstrumentation {
  // Filled per request by `readServerHeaders` and read right after, before anything else runs.
  const scratchHeaders = emptyServerHeaders();
  function endServerSpan(state: ServerRequestState, response: ServerResponse, finished: boolean) {
    state.ended = true;
    state.active.value--;
    ended(state);
    const status = response.headersSent ? response.statusCode : undefined;
    const errorType =
      status !== undefined && status >= 500 ? String(status) : finished ? undefined : 'aborted';
    const { span } = state;
    if (span.isRecording()) {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      const length = contentLength(response.getHeader('content-length'));
      if (length !== undefined) span.setAttribute('http.response.body.size', length);
      if (options.responseHeaders.length > 0) {
        const headers: Attributes = {};
        captureHeaders(headers, options.responseHeaders, response, fromOutgoing);
        span.setAttributes(headers);
      }
      if (errorType !== undefined) {
        span.setAttribute('error.type', errorType);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end();
    // The span's own clock readings when it has them: one clock read fewer per request.
    const elapsed =
      (span instanceof LeanSpan ? span.monotonicDuration : undefined) ??
      performance.now() - state.startTime;
    durationPoint(state, status, errorType).record(elapsed / 1000);
  }

  // Requests started and not yet ended, and what to do once there are none (see `afterLast`).
  let open = 0;
  let whenNoneOpen: (() => void) | undefined;
  const owner = {};
  // A connection's requests that have not ended, oldest first (more than one when pipelined). Per
  // instrumentation: one enabled after this one was disabled watches its own.
  const OPEN_REQUESTS = Symbol('sightline.http.server.openRequests');

  function ended(state: ServerRequestState): void {
    const requests = state.connection;
    if (requests !== undefined) {
      // Nearly always the only one (no pipelining): `pop()` then, which V8 does inline, where
      // `shift()` went to its C++ builtin (0.15 µs per request in bench/http's perf profile).
      const i = requests.indexOf(state);
      if (i === 0 && requests.length === 1) requests.pop();
      else if (i === 0) requests.shift();
      else if (i > 0) requests.splice(i, 1);
    }
    if (--open === 0 && whenNoneOpen !== undefined) {
      const callback = whenNoneOpen;
      whenNoneOpen = undefined;
      callback();
    }
  }

  // The connection closed with requests not finished: the client went away, the socket was
  // destroyed or timed out. One listener per connection, not one per request on its response.
  function onConnectionClose(this: WatchedSocket): void {
    const requests = this[OPEN_REQUESTS];
    if (requests === undefined) return;
    this[OPEN_REQUESTS] = undefined;
    for (const state of [...requests]) {
      try {
        if (!state.ended) endServerSpan(state, state.response, state.response.writableFinished);
      } catch (error) {
        warnOnce('http.server.close', `HTTP server instrumentation failed: ${String(error)}`);
      }
    }
  }

  // No socket to watch (a request made up by a framework or a test): its response's 'close'.
  function onResponseClose(this: ServerResponse): void {
    try {
      const state = (this.req as WithServerState | undefined)?.[SERVER_STATE];
      if (state !== undefined && !state.ended && state.owner === owner) {
        endServerSpan(state, this, this.writableFinished);
      }
    } catch (error) {
      warnOnce('http.server.close', `HTTP server instrumentation failed: ${String(error)}`);
    }
  }

  /** The list of the connection's unended requests, watched for the connection's 'close'. */
  function connectionOf(socket: WatchedSocket | undefined): ServerRequestState[] | undefined {
    if (socket == null || typeof socket.on !== 'function' || socket.destroyed) return undefined;
    let requests = socket[OPEN_REQUESTS];
    if (requests === undefined) {
      requests = [];
      socket[OPEN_REQUESTS] = requests;
      socket.on('close', onConnectionClose);
    }
    return requests;
  }

  function startServerSpan({ request, response, socket }: ServerMessage): void {
    const telemetry = httpTelemetry();
    if (telemetry === undefined) return;
    // Not `request.headers`: Node builds that object on first read (see raw-request-headers.ts).
    const raw = request.rawHeaders;
    let target = request.url ?? '/';
    let authority: string | undefined;
    if (target.charCodeAt(0) !== 47 /* / */) {
      // absolute-form, as sent to proxies: the authority comes from the target (RFC 9112 §3.2.2).
      const absolute = splitAbsoluteUrl(target);
      if (absolute !== undefined) {
        authority = absolute.authority;
        target = absolute.rest === '' ? '/' : absolute.rest;
      }
    }
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    if (isIgnoredPath(options, path)) {
      // Still replace whatever context the parser runs in: on Node 22 (async_hooks storage) the
      // previous request on this keep-alive connection would otherwise leak into this handler.
      if (telemetry.tracing) context.attach(ROOT_CONTEXT);
      return;
    }

    const rawMethod = request.method ?? 'GET';
    const method = normalizeMethod(rawMethod, options.knownMethods);
    const headers = readServerHeaders(raw, scratchHeaders);
    const forwardedProto = firstHeaderEntry(headers.forwardedProto)?.toLowerCase();
    const scheme =
      forwardedProto === 'https' || forwardedProto === 'http'
        ? forwardedProto
        : socket?.encrypted === true
          ? 'https'
          : 'http';
    const protocolVersion = request.httpVersion;
    const attributes: Attributes = {
      'http.request.method': method,
      'url.path': path,
      'url.scheme': scheme,
      'network.protocol.version': protocolVersion,
    };
    if (method !== rawMethod) attributes['http.request.method_original'] = rawMethod;
    if (q !== -1) attributes['url.query'] = redactQuery(target.slice(q + 1));
    const host = authority ?? firstHeaderEntry(headers.forwardedHost) ?? headers.host;
    if (host !== undefined) setServerAuthority(attributes, host, scheme === 'https' ? 443 : 80);
    const client = firstHeaderEntry(headers.forwardedFor) ?? socket?.remoteAddress;
    if (client !== undefined) attributes['client.address'] = client;
    const userAgent = headers.userAgent;
    if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
    const lengthHeader = headers.contentLength;
    const body = hasBody(lengthHeader, headers.transferEncoding);
    const length = contentLength(lengthHeader);
    if (length !== undefined) attributes['http.request.body.size'] = length;
    if (options.requestHeaders.length > 0) {
      captureHeaders(attributes, options.requestHeaders, request.headers, fromHeaders);
    }

    // A server request starts a new unit of work: its only parent is the one in its headers.
    const parent = propagation.extract(ROOT_CONTEXT, raw, rawHeadersGetter);
    const span = telemetry.tracer.startSpan(
      spanNameMethod(method),
      { kind: SpanKind.SERVER, attributes, [OWNED_ATTRIBUTES]: true } as OwnedSpanOptions,
      parent,
    );
    const connection = connectionOf(socket as WatchedSocket | undefined);
    const state: ServerRequestState = {
      span,
      response,
      connection,
      owner,
      telemetry,
      startTime: (span instanceof LeanSpan ? span.startMonotonic : undefined) ?? performance.now(),
      method,
      scheme,
      protocolVersion,
      active: activeRequests(method, scheme),
      route: undefined,
      ended: false,
    };
    state.active.value++;
    open++;
    if (connection !== undefined) connection.push(state);
    else response.on('close', onResponseClose);
    request[SERVER_STATE] = state;
    const ctx = trace.setSpan(LeanContext.over(parent), span).setValue(SERVER_STATE_KEY, state);
    // Node publishes this channel synchronously right before it emits 'request', so attaching
    // here makes the span active in the handler and everything it starts. The attachment is not
    // disposed: on Node 24 it ends with the parser callback; on Node 22 (async_hooks storage) it
    // stays on the connection's parser resource until the next request replaces it, and disposing
    // it from another callback would write to the wrong resource.
    if (telemetry.tracing) {
      context.attach(ctx);
      if (body) bindRequestEvents(request, ctx);
    }
    if (options.traceResponse) {
      const value = traceResponseValue(span.spanContext());
      if (value !== undefined) response.setHeader('traceresponse', value);
    }
  }

  return {
    onRequestStart(message) {
      try {
        startServerSpan(message as ServerMessage);
      } catch (error) {
        warnOnce('http.server.start', `HTTP server instrumentation failed: ${String(error)}`);
      }
    },
    afterLast(callback) {
      if (open === 0) callback();
      else whenNoneOpen = callback;
    },
    onResponseFinish(message) {
      try {
        const { request, response } = message as ServerMessage;
        const state = request[SERVER_STATE];
        if (state !== undefined && !state.ended && state.owner === owner) {
          endServerSpan(state, response, true);
        }
      } catch (error) {
        warnOnce('http.server.finish', `HTTP server instrumentation failed: ${String(error)}`);
      }
    },
  };
}
