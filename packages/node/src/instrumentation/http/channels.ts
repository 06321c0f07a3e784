/**
 * Every `diagnostics_channel` the HTTP instrumentation subscribes to, in one place (as undici keeps
 * its own in `lib/core/diagnostics.js`). Node 22.15 (our floor) and 24 publish all of them: the
 * `http.*` ones from `node:http`/`node:https` (`http.client.request.created` arrived in 22.12), the
 * `undici:*` ones from the undici bundled for `fetch` (6.21 in Node 22.15, 7.x in Node 24) and from
 * any userland undici, since channels are global by name. Node publishes only while someone listens.
 */
export const HTTP_CHANNELS = {
  /** `{ request, response, socket, server }`, synchronously before the server emits 'request'. */
  serverRequestStart: 'http.server.request.start',
  /** `{ request, response, socket, server }`, when the response has been fully handed to the OS. */
  serverResponseFinish: 'http.server.response.finish',
  /** `{ request }`, at the end of the `ClientRequest` constructor: headers can still be set. */
  clientRequestCreated: 'http.client.request.created',
  /** `{ request }`, when the request is flushed: headers are already sent. Fallback only. */
  clientRequestStart: 'http.client.request.start',
  /** `{ request, response }`, when the response headers have been parsed. */
  clientResponseFinish: 'http.client.response.finish',
  /** `{ request, error }`, before the request emits 'error'. */
  clientRequestError: 'http.client.request.error',
  /** `{ request }`, when undici creates a request: `request.addHeader()` still reaches the wire. */
  undiciRequestCreate: 'undici:request:create',
  /** `{ request, response }`, when the response headers have arrived. */
  undiciRequestHeaders: 'undici:request:headers',
  /** `{ request, error }`, when the request fails (connect error, abort, timeout, reset). */
  undiciRequestError: 'undici:request:error',
} as const;
