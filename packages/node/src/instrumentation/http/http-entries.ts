import type { ResolvedInstrumentations } from '../../config/resolve.js';
import type { InstrumentationFactory } from '../instrumentation-context.js';
import { enableHttpInstrumentation } from './enable-http-instrumentation.js';
import {
  DEFAULT_IGNORED_PATHS,
  type HttpInstrumentationOptions,
} from './http-instrumentation-options.js';

/**
 * Not traced by default, besides the health and metrics paths: the OTLP/HTTP ingest paths. A process
 * that receives OTLP and exports to itself (the viewer, an in-process test receiver) would otherwise
 * trace every export it receives, export that, and so on forever.
 */
export const DEFAULT_INIT_IGNORED_PATHS: readonly string[] = [
  ...DEFAULT_IGNORED_PATHS,
  '/v1/traces',
  '/v1/metrics',
  '/v1/logs',
];

function httpOptions(settings: ResolvedInstrumentations['http']): HttpInstrumentationOptions {
  return {
    requestHeaders: settings.requestHeaders,
    responseHeaders: settings.responseHeaders,
    traceResponse: settings.traceResponse,
    ignorePaths: [...(settings.ignorePaths ?? DEFAULT_INIT_IGNORED_PATHS)],
    ...(settings.knownMethods ? { knownMethods: settings.knownMethods } : {}),
  };
}

/** `http`: node:http/https servers and clients; also `fetch` when `undici` is selected too. */
export const createHttpInstrumentation: InstrumentationFactory = (context) =>
  enableHttpInstrumentation({
    ...httpOptions(context.config.instrumentations.http),
    fetch: context.isSelected('undici'),
  });

/** `undici`: `fetch` and userland undici. With `http` selected, that entry already covers it. */
export const createUndiciInstrumentation: InstrumentationFactory = (context) =>
  context.isSelected('http')
    ? undefined
    : enableHttpInstrumentation({
        ...httpOptions(context.config.instrumentations.http),
        server: false,
        client: false,
        fetch: true,
      });
