// Drives a realistic mix of requests at the gateway for a set time, from this process (which is not
// instrumented, so only the services' telemetry reaches the viewer).
import { encodeStockImport } from '../lib/stock-import-parser.mjs';

const sku = () => `SKU-${String(1 + Math.floor(Math.random() * 50)).padStart(4, '0')}`;

/**
 * One request kind of the mix: its share, the endpoint it hits (the gateway's route) and the call.
 * @type {{ weight: number, endpoint: string, call: (base: string, placed: number[], headers: Record<string, string>) => Promise<Response> }[]}
 */
const MIX = [
  {
    weight: 35,
    endpoint: 'GET /api/products/:sku',
    call: (b, _p, headers) => fetch(`${b}/api/products/${sku()}`, { headers }),
  },
  {
    weight: 30,
    endpoint: 'POST /api/orders',
    call: (b, _p, headers) =>
      fetch(`${b}/api/orders`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: sku(), quantity: 1 + Math.floor(Math.random() * 3) }),
      }),
  },
  {
    weight: 22,
    endpoint: 'GET /api/orders/:id',
    call: (b, placed, headers) =>
      fetch(`${b}/api/orders/${placed[Math.floor(Math.random() * placed.length)] ?? 1}`, {
        headers,
      }),
  },
  {
    weight: 5,
    endpoint: 'GET /api/reports/daily',
    call: (b, _p, headers) => fetch(`${b}/api/reports/daily`, { headers }),
  },
  {
    weight: 8,
    endpoint: 'POST /api/inventory/import',
    call: (b, _p, headers) =>
      fetch(`${b}/api/inventory/import`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: encodeStockImport(Array.from({ length: 20 }, () => ({ sku: sku(), delta: 5 }))),
      }),
  },
];
const TOTAL_WEIGHT = MIX.reduce((n, m) => n + m.weight, 0);

function pick() {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const entry of MIX) {
    r -= entry.weight;
    if (r < 0) return entry;
  }
  return /** @type {(typeof MIX)[number]} */ (MIX[0]);
}

/**
 * @typedef {{ requests: number, errors: number, failures: number, byEndpoint: Record<string, { requests: number, errors: number }> }} LoadStats
 */

/**
 * Sends requests from `concurrency` loops until `durationMs` has passed. A response >= 500 counts
 * as an error; a request that got no response at all counts as a failure.
 * @param {{ gatewayUrl: string, durationMs: number, concurrency?: number, thinkMs?: number,
 *   onProgress?: (elapsedMs: number, stats: LoadStats) => void, signal?: AbortSignal }} options
 * @returns {Promise<LoadStats>}
 */
export async function driveLoad(options) {
  const { gatewayUrl, durationMs, concurrency = 4, thinkMs = 15 } = options;
  /** @type {LoadStats} */
  const stats = { requests: 0, errors: 0, failures: 0, byEndpoint: {} };
  /** @type {number[]} */
  const placed = [];
  const started = Date.now();
  const done = () => Date.now() - started >= durationMs || options.signal?.aborted === true;
  const ticker = setInterval(() => options.onProgress?.(Date.now() - started, stats), 250);

  async function loop() {
    while (!done()) {
      const entry = pick();
      stats.byEndpoint[entry.endpoint] ??= { requests: 0, errors: 0 };
      const counts = stats.byEndpoint[entry.endpoint];
      stats.requests++;
      counts.requests++;
      try {
        const response = await entry.call(gatewayUrl, placed, {
          'x-customer-tier': Math.random() < 0.2 ? 'gold' : 'standard',
        });
        const body = await response.json().catch(() => undefined);
        if (response.status >= 500) {
          stats.errors++;
          counts.errors++;
        } else if (entry.endpoint === 'POST /api/orders' && typeof body?.id === 'number') {
          placed.push(body.id);
          if (placed.length > 500) placed.shift();
        }
      } catch {
        stats.failures++;
        counts.errors++;
      }
      if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs));
    }
  }

  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    clearInterval(ticker);
  }
  options.onProgress?.(Math.min(Date.now() - started, durationMs), stats);
  return stats;
}
