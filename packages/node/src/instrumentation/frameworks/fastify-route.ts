import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { setHttpRoute } from '../http/set-http-route.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';

// Fastify >= 5 publishes this tracing channel around every route handler (DESIGN D2: no patching).
const HANDLER_START = 'tracing:fastify.request.handler:start';

interface HandlerStart {
  request?: { raw?: IncomingMessage };
  route?: { url?: unknown };
}

function onHandlerStart(message: unknown): void {
  const { request, route } = message as HandlerStart;
  if (typeof route?.url === 'string' && route.url !== '') setHttpRoute(route.url, request?.raw);
}

/**
 * `fastify`: names the HTTP server span and its metrics after the matched route (`/users/:id`),
 * from the `diagnostics_channel` events fastify itself publishes.
 */
export const createFastifyRouteNaming: InstrumentationFactory = () => {
  subscribe(HANDLER_START, onHandlerStart);
  return { disable: () => unsubscribe(HANDLER_START, onHandlerStart) };
};
