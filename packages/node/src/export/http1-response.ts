/** The longest response head read: status line and headers. Node's own parser allows 16 KiB. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** A whole HTTP/1.x response: what an OTLP exporter reads of it. */
export interface Http1Response {
  status: number;
  statusMessage: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** Whether the connection can carry the next request: HTTP/1.1, no `Connection: close`, nothing left over. */
  reusable: boolean;
}

type Mode = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close';

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,8})(?:[ \t]*;[^\r\n]*)?$/;

/**
 * Reads one HTTP/1.x response from the bytes of a connection as they arrive: the status line, the
 * headers, and a body sent with a `Content-Length`, chunked, or up to the end of the connection
 * (RFC 9112 §6.3). Interim 1xx responses are skipped. Bytes are kept only until they are parsed;
 * a body past `maxBodyBytes`, a head past `MAX_HEAD_BYTES` and anything malformed are errors.
 *
 * `push()` and `end()` answer the response once it is whole, an `Error` when it cannot be read,
 * and `undefined` while more bytes are needed.
 */
export class Http1ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);
  private mode: Mode = 'head';
  private remaining = 0;
  private readonly body: Buffer[] = [];
  private bodyBytes = 0;
  private keepAlive = false;
  /** Bytes of the connection read so far. */
  bytesRead = 0;
  /** The final response's status and headers, once read. */
  head: Pick<Http1Response, 'status' | 'statusMessage' | 'headers'> | undefined;

  constructor(private readonly maxBodyBytes: number) {}

  /** Reads the next bytes of the connection. */
  push(chunk: Buffer): Http1Response | Error | undefined {
    this.bytesRead += chunk.length;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return this.parse();
  }

  /** The connection ended: a body read up to its end is whole, anything else was cut off. */
  end(): Http1Response | Error {
    if (this.mode === 'close') return this.response();
    return new Error(
      this.mode === 'head' && this.buffer.length === 0
        ? 'the connection closed before a response'
        : 'the connection closed in the middle of a response',
    );
  }

  private parse(): Http1Response | Error | undefined {
    for (;;) {
      switch (this.mode) {
        case 'head': {
          const end = this.buffer.indexOf(HEAD_END);
          if (end === -1) {
            return this.buffer.length > MAX_HEAD_BYTES
              ? new Error(`the response head exceeded ${MAX_HEAD_BYTES} bytes`)
              : undefined;
          }
          if (end > MAX_HEAD_BYTES)
            return new Error(`the response head exceeded ${MAX_HEAD_BYTES} bytes`);
          const head = this.buffer.toString('latin1', 0, end);
          this.buffer = this.buffer.subarray(end + HEAD_END.length);
          const error = this.readHead(head);
          if (error !== undefined) return error;
          break;
        }
        case 'length': {
          const whole = this.takeRest();
          if (whole !== true) return whole || undefined;
          return this.response();
        }
        case 'chunk-size': {
          const end = this.buffer.indexOf(CRLF);
          if (end === -1)
            return this.buffer.length > 1024
              ? new Error('a chunk size line is too long')
              : undefined;
          const match = CHUNK_SIZE.exec(this.buffer.toString('latin1', 0, end));
          if (match === null) return new Error('a chunk size is not hexadecimal');
          this.buffer = this.buffer.subarray(end + CRLF.length);
          this.remaining = Number.parseInt(match[1] as string, 16);
          this.mode = this.remaining === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          const whole = this.takeRest();
          if (whole !== true) return whole || undefined;
          this.mode = 'chunk-end';
          break;
        }
        case 'chunk-end': {
          if (this.buffer.length < CRLF.length) return undefined;
          if (this.buffer[0] !== 0x0d || this.buffer[1] !== 0x0a)
            return new Error('a chunk does not end with CRLF');
          this.buffer = this.buffer.subarray(CRLF.length);
          this.mode = 'chunk-size';
          break;
        }
        case 'trailers': {
          // Trailer fields are read past, not kept: no OTLP response uses them.
          if (
            this.buffer.length >= CRLF.length &&
            this.buffer[0] === 0x0d &&
            this.buffer[1] === 0x0a
          ) {
            this.buffer = this.buffer.subarray(CRLF.length);
            return this.response();
          }
          const end = this.buffer.indexOf(HEAD_END);
          if (end === -1) {
            return this.buffer.length > MAX_HEAD_BYTES
              ? new Error('the response trailers are too long')
              : undefined;
          }
          this.buffer = this.buffer.subarray(end + HEAD_END.length);
          return this.response();
        }
        case 'close': {
          const taken = this.take(Number.POSITIVE_INFINITY);
          return taken instanceof Error ? taken : undefined;
        }
      }
    }
  }

  /** Reads the status line and headers, and decides how the body is framed. */
  private readHead(head: string): Error | undefined {
    const lines = head.split('\r\n');
    const status = STATUS_LINE.exec(lines[0] as string);
    if (status === null)
      return new Error('the response does not start with an HTTP/1.x status line');
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) return new Error('a response header line has no name');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const code = Number(status[2]);
    if (code >= 100 && code < 200) {
      // 100 Continue and the other interim responses precede the real one (RFC 9110 §15.2).
      if (code === 101) return new Error('the server switched protocols');
      return undefined;
    }
    this.head = { status: code, statusMessage: status[3] ?? '', headers };
    const connection = (headers.connection ?? '').toLowerCase();
    this.keepAlive =
      status[1] === '1' ? !/(^|,)\s*close\s*(,|$)/.test(connection) : /keep-alive/.test(connection);
    const transferEncoding = headers['transfer-encoding'];
    if (code === 204 || code === 304) {
      this.mode = 'length';
      this.remaining = 0;
    } else if (transferEncoding !== undefined) {
      if (!/(^|,)\s*chunked\s*$/i.test(transferEncoding)) {
        // A transfer coding other than chunked last: the body runs to the end of the connection.
        this.mode = 'close';
        this.keepAlive = false;
      } else this.mode = 'chunk-size';
    } else if (headers['content-length'] !== undefined) {
      const length = headers['content-length'];
      if (!/^\d+$/.test(length))
        // Quoted: the value is the server's, and may hold terminal control characters.
        return new Error(
          `the response Content-Length is not a number: ${JSON.stringify(length.slice(0, 40))}`,
        );
      this.remaining = Number(length);
      if (this.remaining > this.maxBodyBytes) return this.tooLarge();
      this.mode = 'length';
    } else {
      this.mode = 'close';
      this.keepAlive = false;
    }
    return undefined;
  }

  /** Moves what came of the body's current part into the body: true once all of it has. */
  private takeRest(): boolean | Error {
    const taken = this.take(this.remaining);
    if (taken instanceof Error) return taken;
    this.remaining -= taken;
    return this.remaining === 0;
  }

  /** Moves up to `wanted` buffered bytes into the body; how many, or an error past the limit. */
  private take(wanted: number): number | Error {
    const count = Math.min(wanted, this.buffer.length);
    if (count === 0) return 0;
    this.bodyBytes += count;
    if (this.bodyBytes > this.maxBodyBytes) return this.tooLarge();
    this.body.push(this.buffer.subarray(0, count));
    this.buffer = this.buffer.subarray(count);
    return count;
  }

  private tooLarge(): Error {
    return new Error(`OTLP export response body exceeded ${this.maxBodyBytes} bytes`);
  }

  /** The response read; called once its head is read and its body whole. */
  private response(): Http1Response {
    const head = this.head as NonNullable<typeof this.head>;
    return {
      ...head,
      body: Buffer.concat(this.body),
      // Bytes past the response were not asked for: the connection is out of step.
      reusable: this.keepAlive && this.buffer.length === 0,
    };
  }
}
