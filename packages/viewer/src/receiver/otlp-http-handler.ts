/**
 * OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp): POST /v1/traces, /v1/metrics, /v1/logs
 * with protobuf or JSON bodies. Answers 200 (with partial success when items were rejected) only after the
 * data is committed; 400 undecodable, 413 too large, 415 wrong content type, 429/503 + Retry-After when the
 * store falls behind.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Encoding } from './decode-request.js';
import { exportResponse, statusBody } from './export-response.js';
import { type IngestTarget, ingest } from './ingest-target.js';
import { BodyError, type BodyLimits, readRequestBody } from './request-body.js';
import type { Signal } from './rows.js';

export const OTLP_PATHS: Record<string, Signal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

// gRPC codes used in google.rpc.Status bodies.
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function send(
  res: ServerResponse,
  status: number,
  encoding: Encoding,
  body: Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

export async function handleOtlpHttp(
  req: IncomingMessage,
  res: ServerResponse,
  signal: Signal,
  target: IngestTarget,
  limits: BodyLimits,
): Promise<void> {
  if (req.method !== 'POST') {
    target.stats.badRequests++;
    send(res, 405, 'json', statusBody('json', INVALID_ARGUMENT, 'use POST'), { allow: 'POST' });
    req.resume();
    return;
  }
  const encoding = encodingOf(req.headers['content-type']);
  if (!encoding) {
    target.stats.badRequests++;
    const message = `unsupported content-type "${req.headers['content-type'] ?? ''}": use application/x-protobuf or application/json`;
    send(res, 415, 'json', statusBody('json', INVALID_ARGUMENT, message));
    req.resume();
    return;
  }
  let body: Buffer;
  try {
    body = await readRequestBody(req, limits);
  } catch (error) {
    target.stats.badRequests++;
    const status = error instanceof BodyError ? error.status : 400;
    send(res, status, encoding, statusBody(encoding, INVALID_ARGUMENT, (error as Error).message), {
      connection: 'close',
    });
    req.resume();
    return;
  }
  const outcome = await ingest(target, signal, encoding, body);
  switch (outcome.kind) {
    case 'ok':
      send(res, 200, encoding, exportResponse(signal, encoding, outcome.rejected, outcome.message));
      return;
    case 'bad':
      send(res, 400, encoding, statusBody(encoding, INVALID_ARGUMENT, outcome.message));
      return;
    case 'full':
      send(
        res,
        429,
        encoding,
        statusBody(encoding, RESOURCE_EXHAUSTED, 'the ingest queue is full; retry later'),
        { 'retry-after': '1' },
      );
      return;
    case 'unavailable':
      send(res, 503, encoding, statusBody(encoding, UNAVAILABLE, outcome.message), {
        'retry-after': '2',
      });
      return;
  }
}
