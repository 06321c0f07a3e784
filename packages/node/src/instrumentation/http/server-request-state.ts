import type { ServerResponse } from 'node:http';
import { createContextKey, type Span } from '@opentelemetry/api';
import type { ActiveRequests } from './active-requests.js';
import type { HttpTelemetry } from './http-telemetry.js';

/** Per-request state, kept on the `IncomingMessage` (global symbol: two copies of the package agree). */
export const SERVER_STATE: unique symbol = Symbol.for('sightline.http.server.state') as never;

/** The same state in the request's context, so `setHttpRoute()` finds it from nested spans. */
export const SERVER_STATE_KEY = createContextKey('sightline.http.server.state');

export interface ServerRequestState {
  readonly span: Span;
  readonly response: ServerResponse;
  /** The unended requests of the request's connection, this one among them (see `connectionOf`). */
  readonly connection: ServerRequestState[] | undefined;
  /** The instrumentation that started the span: only it ends the span. */
  readonly owner: object;
  readonly telemetry: HttpTelemetry;
  /** `performance.now()` at request start, for the duration metric. */
  readonly startTime: number;
  /** `http.request.method` (a known method or `_OTHER`). */
  readonly method: string;
  readonly scheme: string;
  readonly protocolVersion: string;
  readonly active: ActiveRequests;
  /** `http.route`, once a framework (or the app) has named it. */
  route: string | undefined;
  ended: boolean;
}

export interface WithServerState {
  [SERVER_STATE]?: ServerRequestState;
}
