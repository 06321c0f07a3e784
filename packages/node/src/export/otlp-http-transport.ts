import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import { gzip } from 'node:zlib';
import { diag } from '@opentelemetry/api';
import {
  type ExportResponse,
  type IExporterTransport,
  OTLPExporterError,
} from '@opentelemetry/otlp-exporter-base';
import type { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import { VERSION } from '../version.js';
import { type Http1Response, Http1ResponseReader } from './http1-response.js';

/** What the official exporters resolve their HTTP options to: URL, headers, TLS agent, gzip. */
export type OtlpHttpParameters = ReturnType<typeof convertLegacyHttpOptions>;

/** A response body past this is not read: the connection is dropped and the export failed. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Idle connections kept for the next request; more are closed once their request is answered. */
const MAX_IDLE_CONNECTIONS = 4;
/**
 * An idle connection is closed after this long: servers close theirs too (Node's after 5 s), and
 * a request sent as the server closes is lost to a reset.
 */
export const IDLE_CONNECTION_MILLIS = 4000;
const MAX_TIMER_MILLIS = 2 ** 31 - 1;
const USER_AGENT = `Sightline-OTLP-Exporter-JavaScript/${VERSION}`;
/** Network errors worth another attempt, as the official transport counts them. */
const RETRYABLE_NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
// RFC 9110 §5.1 (a token) and §5.5 (no control characters but tab): what Node's own client checks.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

interface Target {
  connect: () => Socket;
  /** The request line and headers, up to the `Content-Length` that each request adds. */
  head: string;
  gzip: boolean;
}

/**
 * Posts encoded OTLP requests over HTTP/1.1, as the official OTLP/HTTP transport does: its URL,
 * headers, TLS options from `OTEL_EXPORTER_OTLP_*CERTIFICATE*`/`*CLIENT_KEY`, keep-alive, gzip and
 * timeout, and the same reading of the answer (which statuses and network errors are retryable,
 * `Retry-After`, a 4 MiB limit on the response). It writes the request itself on a `net`/`tls`
 * socket and reads the response with `Http1ResponseReader`, not through `node:http`: on a busy
 * server, running Node's HTTP client beside its HTTP server slowed the server's own requests far
 * beyond the client's own cost (bench/http, hello server: 0.68 µs of main thread per request less
 * than through `http.request`, median of 5 paired rounds, all lower; one export request costs 52
 * to 78 µs of CPU this way against 80 to 128 through `http.request`).
 *
 * Like the official transport (whose `http.Agent` is its own), it does not go through the proxy
 * that `NODE_USE_ENV_PROXY` gives Node's global agent.
 */
export class OtlpHttpTransport implements IExporterTransport {
  private target: Promise<Target> | undefined;
  private readonly idle: Socket[] = [];
  private closed = false;

  constructor(private readonly parameters: OtlpHttpParameters) {}

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    let target: Target;
    let body: Uint8Array;
    try {
      this.target ??= this.resolve();
      target = await this.target;
      body = target.gzip ? await gzipped(data) : data;
    } catch (error) {
      this.target = undefined;
      return { status: 'failure', error: asError(error) };
    }
    const reused = this.idle.pop();
    let response = await this.exchange(reused ?? this.open(target), target, body, timeoutMillis);
    // A kept connection the server closed just as the request went out: once more, on a new one.
    if (reused !== undefined && response === HUNG_UP) {
      response = await this.exchange(this.open(target), target, body, timeoutMillis);
    }
    return response === HUNG_UP ? hungUp() : response;
  }

  /** Closes the idle connections; a request still in flight closes its own when answered. */
  shutdown(): void {
    this.closed = true;
    for (const socket of this.idle.splice(0)) socket.destroy();
  }

  private async resolve(): Promise<Target> {
    const parameters = this.parameters;
    const url = new URL(parameters.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`OTLP/HTTP endpoint must be http: or https:, not ${url.protocol}`);
    }
    const options = urlToHttpOptions(url);
    const host = options.hostname ?? '127.0.0.1';
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    let connect: () => Socket;
    if (url.protocol === 'https:') {
      // The official agent factory holds the TLS options read from the environment.
      const agent = (await parameters.agentFactory(url.protocol)) as {
        options?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key'>;
        destroy?: () => void;
      };
      const { ca, cert, key } = agent.options ?? {};
      agent.destroy?.();
      const servername = isIP(host) === 0 ? host : undefined;
      connect = () => tlsConnect({ host, port, servername, ca, cert, key });
    } else {
      connect = () => netConnect({ host, port });
    }
    const configured = await parameters.headers();
    const headers: Array<[string, string]> = [];
    const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
    for (const [name, value] of Object.entries(configured)) {
      if (name.toLowerCase() === 'content-length') continue; // each request sets its own
      headers.push([name, String(value)]);
    }
    if (!has('host')) headers.unshift(['Host', url.host]);
    if (options.auth && !has('authorization')) {
      headers.push(['Authorization', `Basic ${Buffer.from(options.auth).toString('base64')}`]);
    }
    headers.push([
      'User-Agent',
      parameters.userAgent === undefined ? USER_AGENT : `${parameters.userAgent} ${USER_AGENT}`,
    ]);
    const gzip = parameters.compression === 'gzip';
    if (gzip) headers.push(['Content-Encoding', 'gzip']);
    headers.push(['Connection', 'keep-alive']);
    let head = `POST ${options.path ?? '/'} HTTP/1.1\r\n`;
    for (const [name, value] of headers) {
      if (!HEADER_NAME.test(name))
        throw new Error(`OTLP header name is not valid: ${JSON.stringify(name)}`);
      if (INVALID_HEADER_VALUE.test(value)) {
        throw new Error(`OTLP header ${name} has a character a header cannot hold`);
      }
      head += `${name}: ${value}\r\n`;
    }
    return { connect, head, gzip };
  }

  /** A new connection, whose failures while idle end it rather than reach the app. */
  private open(target: Target): Socket {
    const socket = target.connect();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    socket.on('error', ignore);
    const forget = () => {
      const index = this.idle.indexOf(socket);
      if (index === -1) return;
      this.idle.splice(index, 1);
      socket.destroy();
    };
    socket.on('end', forget);
    socket.on('close', forget);
    socket.on('timeout', forget);
    return socket;
  }

  /** One request and its response on `socket`, which is kept for the next if both went whole. */
  private exchange(
    socket: Socket,
    target: Target,
    body: Uint8Array,
    timeoutMillis: number,
  ): Promise<ExportResponse | typeof HUNG_UP> {
    return new Promise((resolve) => {
      const reader = new Http1ResponseReader(MAX_RESPONSE_BYTES);
      let written = false;
      let settled = false;
      const finish = (response: ExportResponse | typeof HUNG_UP, reusable: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('end', onEnd);
        socket.off('close', onEnd);
        socket.off('error', onError);
        if (reusable && written && !this.closed && this.idle.length < MAX_IDLE_CONNECTIONS) {
          socket.setTimeout(IDLE_CONNECTION_MILLIS);
          socket.unref();
          socket.once('data', () => socket.destroy()); // nothing was asked: out of step
          this.idle.push(socket);
        } else {
          socket.destroy();
        }
        resolve(response);
      };
      const onData = (chunk: Buffer): void => {
        const read = reader.push(chunk);
        if (read === undefined) return;
        if (read instanceof Error) finish({ status: 'failure', error: read }, false);
        else finish(answer(read, read.body), read.reusable);
      };
      const onEnd = (): void => {
        const read = reader.end();
        if (!(read instanceof Error)) finish(answer(read, read.body), false);
        else if (reader.head !== undefined) {
          // Cut off mid-body: the status still decides, as in the official transport.
          finish(answer(reader.head, undefined), false);
        } else if (reader.bytesRead === 0) finish(HUNG_UP, false);
        else finish({ status: 'retryable', error: read }, false);
      };
      const onError = (error: NodeJS.ErrnoException): void => {
        if (reader.bytesRead === 0 && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
          finish(HUNG_UP, false);
          return;
        }
        finish(
          typeof error.code === 'string' && RETRYABLE_NETWORK_ERRORS.has(error.code)
            ? { status: 'retryable', error }
            : { status: 'failure', error },
          false,
        );
      };
      const timer = setTimeout(
        () => finish({ status: 'retryable', error: new Error('Request timed out') }, false),
        // Past 2³¹ − 1 ms a Node timer fires after 1 ms instead.
        Math.min(timeoutMillis, MAX_TIMER_MILLIS),
      );
      socket.removeAllListeners('data');
      socket.setTimeout(0);
      socket.ref();
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.on('close', onEnd);
      socket.on('error', onError);
      socket.cork();
      socket.write(`${target.head}Content-Length: ${body.byteLength}\r\n\r\n`, 'latin1');
      socket.write(body, (error) => {
        if (!error) written = true;
      });
      socket.uncork();
    });
  }
}

function ignore(): void {}

/** The connection closed or was reset before a byte of the response came. */
const HUNG_UP = Symbol('hung up');

/** What Node's HTTP client answers a hang-up with, and the official transport retries. */
function hungUp(): ExportResponse {
  return {
    status: 'retryable',
    error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  };
}

function gzipped(data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gzip(data, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** What a response says of the export; `body` is undefined when it was cut off. */
function answer(
  res: Pick<Http1Response, 'status' | 'statusMessage' | 'headers'>,
  body: Buffer | undefined,
): ExportResponse {
  const status = res.status;
  if (status >= 200 && status <= 299) return { status: 'success', data: body };
  if (isRetryableStatus(status)) {
    return { status: 'retryable', retryInMillis: retryAfterMillis(res.headers['retry-after']) };
  }
  return {
    status: 'failure',
    error: new OTLPExporterError(res.statusMessage, status, body?.toString() ?? ''),
  };
}

/** The statuses the OTLP specification says to retry: 429, 502, 503, 504. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** `Retry-After` in milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMillis(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with the day's name (RFC 9110 §5.6.7); anything else is not one.
  if (!/^[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Retry policy: as the official exporters', exponential backoff with jitter, within the timeout. */
const RETRIES = 5;
const INITIAL_BACKOFF_MILLIS = 1000;
const MAX_BACKOFF_MILLIS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;

/**
 * Sends again what came back retryable, up to 5 more times: after the server's `Retry-After` when
 * it gave one, otherwise after a backoff from 1 s growing 1.5 times each attempt up to 5 s, ±20%
 * jitter; never past the export timeout, counted from the first attempt.
 */
export class RetryingTransport implements IExporterTransport {
  constructor(
    private readonly inner: IExporterTransport,
    private readonly sleep: (millis: number) => Promise<void> = defaultSleep,
  ) {}

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let backoff = INITIAL_BACKOFF_MILLIS;
    let result = await this.inner.send(data, timeoutMillis);
    for (let retry = 0; result.status === 'retryable' && retry < RETRIES; retry++) {
      const jittered = backoff * (1 + (Math.random() * 2 - 1) * JITTER);
      const wait = result.retryInMillis ?? Math.min(jittered, MAX_BACKOFF_MILLIS);
      backoff *= BACKOFF_MULTIPLIER;
      const remaining = deadline - Date.now();
      if (wait > remaining) {
        diag.debug(`sightline: OTLP export retry in ${Math.round(wait)} ms would pass the timeout`);
        return result;
      }
      await this.sleep(wait);
      result = await this.inner.send(data, Math.max(1, deadline - Date.now()));
    }
    return result;
  }

  shutdown(): void {
    this.inner.shutdown();
  }
}

function defaultSleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
