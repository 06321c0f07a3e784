/**
 * Token check for every OTLP, API and UI request when the viewer has a token: `Authorization: Bearer <token>`
 * or the `sightline_token` cookie, which `/?token=<token>` sets for the browser.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'sightline_token';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when `authorization` is `Bearer <token>`. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return m?.[1] !== undefined && safeEqual(m[1].trim(), token);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** True when the request presents the token (header or cookie). */
export function requestAuthorized(req: IncomingMessage, token: string): boolean {
  if (bearerMatches(req.headers.authorization, token)) return true;
  const c = cookieToken(req);
  return c !== undefined && safeEqual(c, token);
}

/** The Set-Cookie value that stores the token for the UI. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
