/**
 * Reads an OTLP/HTTP request body within limits: the wire size (`maxRequestBytes`, checked against
 * Content-Length up front and while streaming) and the decompressed size (`maxDecompressedBytes`, enforced by
 * zlib's maxOutputLength, so a gzip bomb stops at the limit instead of filling memory).
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export interface BodyLimits {
  maxRequestBytes: number;
  maxDecompressedBytes: number;
}

export async function readRequestBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limits.maxRequestBytes)
    throw new BodyError(
      413,
      `request body of ${declared} bytes exceeds the limit of ${limits.maxRequestBytes}`,
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limits.maxRequestBytes)
      throw new BodyError(413, `request body exceeds the limit of ${limits.maxRequestBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip' && encoding !== 'deflate')
    throw new BodyError(
      415,
      `unsupported content-encoding "${encoding}" (use gzip, deflate or none)`,
    );
  try {
    const opts = { maxOutputLength: limits.maxDecompressedBytes };
    return encoding === 'gzip' ? await gunzipAsync(raw, opts) : await inflateAsync(raw, opts);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new BodyError(
        413,
        `decompressed body exceeds the limit of ${limits.maxDecompressedBytes} bytes`,
      );
    throw new BodyError(
      400,
      `the ${encoding} body cannot be decompressed: ${(error as Error).message}`,
    );
  }
}
