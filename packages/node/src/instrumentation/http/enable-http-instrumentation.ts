import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { diag } from '@opentelemetry/api';
import { HTTP_CHANNELS } from './channels.js';
import { createFetchInstrumentation } from './fetch-instrumentation.js';
import { createHttpClientInstrumentation } from './http-client-instrumentation.js';
import {
  type HttpInstrumentationOptions,
  resolveHttpOptions,
} from './http-instrumentation-options.js';
import {
  createServerInstrumentation,
  type ServerInstrumentation,
} from './server-instrumentation.js';

/** Returned by `enableHttpInstrumentation()`. */
export interface HttpInstrumentationHandle {
  /**
   * Unsubscribes from every channel; requests in flight still end their spans (the response-finish
   * channel is left once the last of them has). Idempotent.
   */
  disable(): void;
}

// One instrumentation per process, even across two copies of this package: two would record
// every request twice.
const ENABLED = Symbol.for('sightline.http.instrumentation.enabled');
type GlobalSlot = { [ENABLED]?: boolean };

/**
 * Traces `node:http`/`node:https` servers and clients and `fetch` through Node's
 * `diagnostics_channel` events (no monkey-patching), with semantic-convention spans
 * (`GET /users/:id`, `http.request.method`, `url.*`, `server.*`, `http.response.status_code`,
 * `error.type`), W3C context extraction and injection, and the `http.server.request.duration`,
 * `http.client.request.duration` and `http.server.active_requests` metrics.
 *
 * It records through whatever SDK is registered globally when each request happens (and does
 * nearly nothing while none is); the SDK's own export requests are never traced. Invalid options
 * throw `SIGHTLINE_ERR_INVALID_OPTION`. A second call while one is enabled warns and returns a handle
 * that does nothing.
 *
 * @example
 * ```ts
 * import { enableHttpInstrumentation } from '@sightline/node';
 * const http = enableHttpInstrumentation({ requestHeaders: ['x-request-id'], traceResponse: true });
 * // ... later
 * http.disable();
 * ```
 */
export function enableHttpInstrumentation(
  options?: HttpInstrumentationOptions,
): HttpInstrumentationHandle {
  const resolved = resolveHttpOptions(options);
  const slot = globalThis as GlobalSlot;
  if (slot[ENABLED] === true) {
    diag.warn('sightline: HTTP instrumentation is already enabled; this call changes nothing');
    return { disable() {} };
  }
  const subscriptions: Array<[name: string, listener: (message: unknown) => void]> = [];
  let server: ServerInstrumentation | undefined;
  if (resolved.server) {
    server = createServerInstrumentation(resolved);
    subscriptions.push(
      [HTTP_CHANNELS.serverRequestStart, server.onRequestStart],
      [HTTP_CHANNELS.serverResponseFinish, server.onResponseFinish],
    );
  }
  if (resolved.client) {
    const client = createHttpClientInstrumentation(resolved);
    subscriptions.push(
      [HTTP_CHANNELS.clientRequestCreated, client.onRequestCreated],
      [HTTP_CHANNELS.clientRequestStart, client.onRequestStart],
      [HTTP_CHANNELS.clientResponseFinish, client.onResponseFinish],
      [HTTP_CHANNELS.clientRequestError, client.onRequestError],
    );
  }
  if (resolved.fetch) {
    const fetch = createFetchInstrumentation(resolved);
    subscriptions.push(
      [HTTP_CHANNELS.undiciRequestCreate, fetch.onRequestCreate],
      [HTTP_CHANNELS.undiciRequestHeaders, fetch.onRequestHeaders],
      [HTTP_CHANNELS.undiciRequestError, fetch.onRequestError],
    );
  }
  for (const [name, listener] of subscriptions) subscribe(name, listener);
  slot[ENABLED] = true;
  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      const finish = server?.onResponseFinish;
      for (const [name, listener] of subscriptions) {
        if (listener !== finish) unsubscribe(name, listener);
      }
      // Requests in flight still end their spans when they finish.
      if (server !== undefined && finish !== undefined) {
        server.afterLast(() => unsubscribe(HTTP_CHANNELS.serverResponseFinish, finish));
      }
      delete slot[ENABLED];
    },
  };
}
