import type { IncomingMessage } from 'node:http';
import { context } from '@opentelemetry/api';
import { warnOnce } from '../../diagnostics/warn-once.js';
import { spanNameMethod } from './request-method.js';
import {
  SERVER_STATE,
  SERVER_STATE_KEY,
  type ServerRequestState,
  type WithServerState,
} from './server-request-state.js';

/**
 * Names the route of the current server request: sets `http.route` on its SERVER span, renames the
 * span `{method} {route}` and adds the route to the `http.server.request.duration` point. Frameworks
 * call it once they have matched a route; the route must be a low-cardinality template
 * (`/users/:id`), never the raw path. The request is found from the active context (also inside
 * child spans), or given explicitly where the context is not the request's. Does nothing outside
 * a traced request, and never throws.
 *
 * @example
 * ```ts
 * app.get('/users/:id', (req, res) => {
 *   setHttpRoute('/users/:id'); // span "GET /users/:id"
 *   res.json(loadUser(req.params.id));
 * });
 * ```
 */
export function setHttpRoute(route: string, request?: IncomingMessage): void {
  try {
    if (typeof route !== 'string' || route.length === 0) {
      warnOnce('setHttpRoute:route', `setHttpRoute() was given ${typeof route} ${String(route)}`);
      return;
    }
    const state =
      request !== undefined
        ? (request as WithServerState)[SERVER_STATE]
        : (context.active().getValue(SERVER_STATE_KEY) as ServerRequestState | undefined);
    if (state === undefined || state.ended) return;
    state.route = route;
    state.span.setAttribute('http.route', route);
    state.span.updateName(`${spanNameMethod(state.method)} ${route}`);
  } catch (error) {
    warnOnce('setHttpRoute:error', `setHttpRoute() failed: ${String(error)}`);
  }
}
