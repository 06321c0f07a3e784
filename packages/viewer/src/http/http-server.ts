/**
 * The viewer's one HTTP listener: OTLP/HTTP ingest (`/v1/*`), the JSON query API (`/api/*`), live events
 * (`/api/live`) and the UI (everything else). Checks the token (when set) and the Host header (against DNS
 * rebinding) before anything else; sends no CORS headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Params } from '../query/params.js';
import type { QueryContext } from '../query/query-context.js';
import type { IngestTarget } from '../receiver/ingest-target.js';
import { handleOtlpHttp, OTLP_PATHS } from '../receiver/otlp-http-handler.js';
import type { BodyLimits } from '../receiver/request-body.js';
import { ApiError } from './api-error.js';
import { API_ROUTES } from './api-routes.js';
import { isLoopback, requestAuthorized, safeEqual, tokenCookie } from './auth.js';
import type { LiveEvents } from './live-events.js';
import { COMMON_HEADERS } from './security-headers.js';

export interface HttpServerOptions {
  token?: string;
  /** Host names accepted in the Host header besides loopback names (the bind address). */
  allowedHosts: string[];
  limits: BodyLimits;
  ingest: IngestTarget;
  query: QueryContext;
  live: LiveEvents;
  serveStatic: (path: string, res: ServerResponse, head: boolean) => Promise<void>;
  /** Extra GET routes (e.g. run export) that stream their own response. */
  streams?: [RegExp, (match: string[], res: ServerResponse, params: Params) => Promise<void>][];
}

function json(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(text.length),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}

function hostAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const host = req.headers.host;
  if (host === undefined) return true; // HTTP/1.0 clients and some SDKs send none
  const name = host.startsWith('[')
    ? host.slice(0, host.indexOf(']') + 1)
    : (host.split(':')[0] ?? '');
  return isLoopback(name) || allowed.includes(name.toLowerCase());
}

export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, (req, res) => {
    handle(req, res, options).catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { error: { code: 'internal', message: error.message } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  o: HttpServerOptions,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://viewer.invalid');
  const path = url.pathname;
  const isApi = path.startsWith('/api/');
  const signal = OTLP_PATHS[path];
  if (!hostAllowed(req, o.allowedHosts)) {
    req.resume();
    json(res, 403, { error: { code: 'unauthorized', message: 'Host header not allowed' } });
    return;
  }
  if (o.token !== undefined) {
    const queryToken = url.searchParams.get('token');
    if (!isApi && !signal && queryToken !== null && req.method === 'GET') {
      if (!safeEqual(queryToken, o.token)) {
        json(res, 401, { error: { code: 'unauthorized', message: 'wrong token' } });
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...COMMON_HEADERS,
        'set-cookie': tokenCookie(o.token),
        location: `${path}${url.search}`,
        'content-length': '0',
      });
      res.end();
      return;
    }
    if (!requestAuthorized(req, o.token)) {
      req.resume();
      res.setHeader('www-authenticate', 'Bearer');
      json(res, 401, {
        error: {
          code: 'unauthorized',
          message:
            'this viewer requires a token: send "Authorization: Bearer <token>" (or open the UI with ?token=<token>)',
        },
      });
      return;
    }
  }
  if (signal) {
    await handleOtlpHttp(req, res, signal, o.ingest, o.limits);
    return;
  }
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    req.resume();
    res.setHeader('allow', 'GET, HEAD');
    json(res, 405, {
      error: { code: 'bad_request', message: `${req.method} is not allowed here` },
    });
    return;
  }
  if (path === '/api/live') {
    o.live.handle(req, res);
    return;
  }
  if (isApi) {
    const params = new Params(url.searchParams);
    for (const [re, stream] of o.streams ?? []) {
      const m = re.exec(path);
      if (m) {
        try {
          await stream(m.slice(1), res, params);
        } catch (error) {
          sendApiError(res, error, head);
        }
        return;
      }
    }
    for (const [re, handler] of API_ROUTES) {
      const m = re.exec(path);
      if (!m) continue;
      try {
        json(res, 200, await handler(params, o.query, m.slice(1).map(decodeURIComponent)), head);
      } catch (error) {
        sendApiError(res, error, head);
      }
      return;
    }
    json(res, 404, { error: { code: 'not_found', message: `no API endpoint ${path}` } }, head);
    return;
  }
  await o.serveStatic(path, res, head);
}

function sendApiError(res: ServerResponse, error: unknown, head: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof ApiError)
    json(res, error.status, { error: { code: error.code, message: error.message } }, head);
  else json(res, 500, { error: { code: 'internal', message: (error as Error).message } }, head);
}
