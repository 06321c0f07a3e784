/**
 * `GET /api/live`: server-sent events. Commits are coalesced into at most one `ingest` event per 500 ms;
 * evictions are sent as `eviction`; a keepalive comment every 15 s. Clients are bounded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommitCounts } from '../store/store.js';
import { COMMON_HEADERS } from './security-headers.js';

const MAX_CLIENTS = 64;

export class LiveEvents {
  private readonly clients = new Set<ServerResponse>();
  private pending: { spans: number; logs: number; metricPoints: number; services: Set<string> } = {
    spans: 0,
    logs: 0,
    metricPoints: 0,
    services: new Set(),
  };
  private timer: NodeJS.Timeout | undefined;
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    private readonly runId: () => number,
    private readonly coalesceMs = 500,
  ) {
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.write(': keepalive\n\n');
    }, 15_000);
    this.keepalive.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  onCommit(counts: CommitCounts): void {
    this.pending.spans += counts.spans;
    this.pending.logs += counts.logs;
    this.pending.metricPoints += counts.metricPoints;
    for (const s of counts.services)
      if (this.pending.services.size < 100) this.pending.services.add(s);
    if (!this.timer && this.clients.size > 0) {
      this.timer = setTimeout(() => this.flush(), this.coalesceMs);
      this.timer.unref();
    }
  }

  /** Sends an event to every client now. */
  send(event: string, data: unknown): void {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of this.clients) c.write(text);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= MAX_CLIENTS) {
      res.writeHead(503, { ...COMMON_HEADERS, 'retry-after': '5', 'content-type': 'text/plain' });
      res.end('too many live clients\n');
      return;
    }
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ runId: this.runId() })}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  close(): void {
    clearInterval(this.keepalive);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const p = this.pending;
    this.pending = { spans: 0, logs: 0, metricPoints: 0, services: new Set() };
    if (p.spans + p.logs + p.metricPoints === 0) return;
    this.send('ingest', {
      spans: p.spans,
      logs: p.logs,
      metricPoints: p.metricPoints,
      runId: this.runId(),
      services: [...p.services],
    });
  }
}
