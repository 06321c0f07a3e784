import { invalidOption } from '../../errors.js';
import { type HeaderCapture, headerCaptures } from './header-capture.js';
import { DEFAULT_KNOWN_METHODS } from './request-method.js';

/** What `enableHttpInstrumentation()` traces and records. Every field is optional. */
export interface HttpInstrumentationOptions {
  /**
   * Paths not traced on the server (exact match on the URL path, or a RegExp tested against it).
   * Default `['/health', '/healthz', '/ready', '/readyz', '/live', '/livez', '/metrics']`; a list
   * given here replaces the default.
   */
  ignorePaths?: Array<string | RegExp>;
  /** Request headers copied as `http.request.header.<lowercase-name>` (array of strings). Allow-list only; default `[]`. */
  requestHeaders?: string[];
  /** Response headers copied as `http.response.header.<lowercase-name>` (array of strings). Allow-list only; default `[]`. */
  responseHeaders?: string[];
  /** Opt-in: set a W3C `traceresponse` header on server responses, so clients can quote the trace id. Default false. */
  traceResponse?: boolean;
  /**
   * The methods recorded as themselves; any other becomes `_OTHER` (+ `http.request.method_original`).
   * Replaces the default (RFC 9110 methods, PATCH, QUERY), as `OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS` does.
   */
  knownMethods?: string[];
  /** Trace `node:http`/`node:https` servers. Default true. */
  server?: boolean;
  /** Trace `node:http`/`node:https` client requests. Default true. */
  client?: boolean;
  /** Trace `fetch` (Node's bundled undici, and any userland undici). Default true. */
  fetch?: boolean;
}

export const DEFAULT_IGNORED_PATHS: readonly string[] = [
  '/health',
  '/healthz',
  '/ready',
  '/readyz',
  '/live',
  '/livez',
  '/metrics',
];

/** The options, validated and precomputed for the hot path. */
export interface ResolvedHttpOptions {
  readonly server: boolean;
  readonly client: boolean;
  readonly fetch: boolean;
  readonly traceResponse: boolean;
  readonly ignoredPaths: ReadonlySet<string>;
  readonly ignoredPatterns: readonly RegExp[];
  readonly requestHeaders: readonly HeaderCapture[];
  readonly responseHeaders: readonly HeaderCapture[];
  readonly knownMethods: ReadonlySet<string>;
}

/** Validates the options; an invalid one throws `SIGHTLINE_ERR_INVALID_OPTION` naming it. */
export function resolveHttpOptions(options: HttpInstrumentationOptions = {}): ResolvedHttpOptions {
  if (typeof options !== 'object' || options === null)
    invalidOption('http instrumentation options', options, 'an object');
  const ignore = options.ignorePaths ?? DEFAULT_IGNORED_PATHS;
  if (!Array.isArray(ignore) || !ignore.every((p) => typeof p === 'string' || p instanceof RegExp))
    invalidOption('ignorePaths', ignore, 'an array of paths (strings) and RegExps');
  return {
    server: flag(options, 'server', true),
    client: flag(options, 'client', true),
    fetch: flag(options, 'fetch', true),
    traceResponse: flag(options, 'traceResponse', false),
    ignoredPaths: new Set(ignore.filter((p): p is string => typeof p === 'string')),
    // A global or sticky RegExp keeps state between test() calls; the copies do not.
    ignoredPatterns: ignore
      .filter((p): p is RegExp => p instanceof RegExp)
      .map((p) => new RegExp(p.source, p.flags.replace(/[gy]/g, ''))),
    requestHeaders: headerCaptures(names(options, 'requestHeaders'), 'request'),
    responseHeaders: headerCaptures(names(options, 'responseHeaders'), 'response'),
    knownMethods: new Set(
      options.knownMethods ? names(options, 'knownMethods') : DEFAULT_KNOWN_METHODS,
    ),
  };
}

/** Whether a server request path is excluded from tracing. */
export function isIgnoredPath(options: ResolvedHttpOptions, path: string): boolean {
  if (options.ignoredPaths.has(path)) return true;
  for (const pattern of options.ignoredPatterns) if (pattern.test(path)) return true;
  return false;
}

type FlagName = 'server' | 'client' | 'fetch' | 'traceResponse';

function flag(options: HttpInstrumentationOptions, name: FlagName, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidOption(name, value, 'true or false');
  return value;
}

type ListName = 'requestHeaders' | 'responseHeaders' | 'knownMethods';

function names(options: HttpInstrumentationOptions, name: ListName): string[] {
  const value = options[name] ?? [];
  if (
    !Array.isArray(value) ||
    !value.every((v) => typeof v === 'string' && /^[!#$%&'*+.^_`|~\w-]+$/.test(v))
  )
    invalidOption(name, value, 'an array of HTTP token strings (header or method names)');
  return value;
}
