// What every demo service shares: listening on a free loopback port and telling the parent about it,
// log records through the OpenTelemetry logs API (the SDK that `--import @sightline/node/register`
// started adds the trace context), and a heap gauge for the leak verdict.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { metrics } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';

const logger = logs.getLogger('@sightline/demo');

const SEVERITY = {
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

/**
 * Emits one log record; inside a span it carries that span's trace and span ids.
 * @param {'info' | 'warn' | 'error'} level
 * @param {string} body
 * @param {Record<string, string | number | boolean>} [attributes]
 */
export function log(level, body, attributes) {
  logger.emit({
    severityNumber: SEVERITY[level],
    severityText: level.toUpperCase(),
    body,
    ...(attributes ? { attributes } : {}),
  });
}

/**
 * Reports `sightline.demo.heap.live` (bytes): the V8 heap in use right after the last major
 * (mark-sweep-compact) garbage collection, read at collection time. Right after a full GC the heap
 * holds only live objects, so this is the series that rises under a leak and stays flat otherwise
 * (`heapUsed` at a random moment also counts garbage not yet collected). No point until the first
 * major GC.
 */
export function registerHeapGauge() {
  let liveBytes;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        liveBytes = process.memoryUsage().heapUsed;
    }
  }).observe({ entryTypes: ['gc'] });
  metrics
    .getMeter('@sightline/demo')
    .createObservableGauge('sightline.demo.heap.live', {
      description: 'V8 heap in use right after the last major garbage collection',
      unit: 'By',
    })
    .addCallback((result) => {
      if (liveBytes !== undefined) result.observe(liveBytes);
    });
}

/**
 * Listens on 127.0.0.1 (port `PORT`, default a free one) and tells the parent process the port
 * over IPC, so `runDemo` can wire the services together.
 * @param {import('node:http').Server} server
 * @param {string} name
 */
export async function announce(server, name) {
  const port = Number(process.env.PORT ?? 0);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://127.0.0.1:${address.port}`;
  if (process.send) process.send({ type: 'ready', service: name, url });
  else process.stdout.write(`${name} listening on ${url}\n`);
  return url;
}

/** Reads an environment variable the parent must set, failing loudly when it is missing. */
export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (runDemo sets it)`);
  return value;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls a JSON endpoint of another service; the fetch instrumentation adds the client span. */
export async function callJson(url, init = {}) {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { error: text };
  }
  return { status: response.status, ok: response.ok, body };
}
