import type { IncomingMessage } from 'node:http';
import { type Context, context } from '@opentelemetry/api';

/**
 * Makes every event the request emits ('data', 'end', 'error' …) run in `ctx`.
 *
 * Why: on Node 24 (AsyncContextFrame), the context attached at `http.server.request.start` lasts
 * only for that parser callback; the body chunks that arrive later are emitted from new parser
 * callbacks in the context the connection was accepted in, so `req.on('end', …)` (body-parser,
 * raw-body) would lose the server span. Overriding the instance's `emit` costs one closure per
 * request with a body (no patching of node:http itself), and covers listeners added at any time.
 */
export function bindRequestEvents(request: IncomingMessage, ctx: Context): void {
  const emit = request.emit;
  request.emit = function emitInRequestContext(
    this: IncomingMessage,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    return context.with(ctx, emit, this, event, ...args);
  } as IncomingMessage['emit'];
}

/**
 * Whether a request carries a body, whose events would arrive after request start.
 *
 * @param length its `content-length` header, if any
 * @param transferEncoding its `transfer-encoding` header, if any
 */
export function hasBody(length: string | undefined, transferEncoding: string | undefined): boolean {
  if (length !== undefined) return length !== '0';
  return transferEncoding !== undefined;
}
