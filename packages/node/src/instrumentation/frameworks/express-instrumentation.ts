import type { IncomingMessage } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { enableContrib } from '../contrib-instrumentation.js';
import { setHttpRoute } from '../http/set-http-route.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';

/**
 * `express`: the official contrib instrumentation (middleware, router and handler spans), plus the
 * matched route template handed to the HTTP server span, so it is named `GET /users/:id` and its
 * duration metric carries `http.route`.
 */
export const createExpressInstrumentation: InstrumentationFactory = (context) =>
  enableContrib(
    new ExpressInstrumentation({
      enabled: false,
      requestHook(_span, info) {
        if (info.layerType === ExpressLayerType.REQUEST_HANDLER && info.route)
          setHttpRoute(info.route, info.request as IncomingMessage);
      },
    }),
    context,
  );
