// Inventory service (express): stock levels behind a cache, reservations that fail sometimes on
// purpose, a binary stock import, and, with DEMO_LEAK=1, a memory leak on purpose.
// Started by runDemo with `node --import @sightline/node/register`: every span comes from Sightline.
import { createServer } from 'node:http';
import { recordException } from '@sightline/node';
import { databaseSpans } from '@sightline/node/domains';
import express from 'express';
import { announce, log, registerHeapGauge, sleep } from '../lib/service-runtime.mjs';
import { shopSpans } from '../lib/shop-spans.mjs';
import { openStockCache } from '../lib/stock-cache.mjs';
import { PARSER_NAME, parseStockImport } from '../lib/stock-import-parser.mjs';

const failureRate = Number(process.env.DEMO_FAILURE_RATE ?? 0.1);
const leak = process.env.DEMO_LEAK === '1';
const cache = await openStockCache();
registerHeapGauge();

// The warehouse table: the inventory's source of truth, an embedded store with db.* spans.
const warehouse = new Map(
  Array.from({ length: 50 }, (_, i) => [`SKU-${String(i + 1).padStart(4, '0')}`, 1000]),
);
const warehouseQuery = (operation, fn) =>
  databaseSpans.query(
    {
      system: 'other_sql',
      namespace: 'warehouse',
      operation,
      collection: 'stock',
      summary: `${operation} stock`,
    },
    { name: `${operation} stock` },
    async (span) => {
      await sleep(1 + Math.random() * 4);
      return fn(span);
    },
  );

// The leak, on purpose: every request's payload is kept in a list nobody ever trims.
// Each entry holds a 256 KiB array of doubles on the V8 heap, which the heap gauge sees growing.
/** @type {{ at: number, payload: unknown, samples: number[] }[]} */
const requestArchive = [];
function archive(payload) {
  if (leak)
    requestArchive.push({ at: Date.now(), payload, samples: new Array(32768).fill(Math.random()) });
}

const app = express();
app.use(express.json());

app.get('/stock/:sku', async (req, res) => {
  const { sku } = req.params;
  archive(req.params);
  const cached = await cache.get(`stock:${sku}`);
  if (cached !== undefined) return res.json({ sku, available: Number(cached), cached: true });
  const available = await warehouseQuery('SELECT', () => warehouse.get(sku));
  if (available === undefined) return res.status(404).json({ error: `unknown sku ${sku}` });
  await cache.set(`stock:${sku}`, String(available));
  res.json({ sku, available, cached: false });
});

app.post('/reserve', async (req, res) => {
  const { sku, quantity } = req.body ?? {};
  archive(req.body);
  const remaining = await shopSpans.reserveStock({ sku, quantity }, async (span) => {
    // The endpoint that fails sometimes, on purpose.
    if (Math.random() < failureRate) throw new Error(`stock lock timeout for ${sku}`);
    const current = await warehouseQuery('UPDATE', () => warehouse.get(sku));
    if (current === undefined) return undefined;
    const left = Math.max(0, current - quantity);
    warehouse.set(sku, left < 10 ? 1000 : left); // restock, so the demo never runs dry
    shopSpans.reserveStock.setAttributes(span, { remaining: left });
    return left;
  });
  await cache.delete(`stock:${sku}`);
  if (remaining === undefined) return res.status(404).json({ error: `unknown sku ${sku}` });
  res.json({ sku, reserved: quantity, remaining });
});

app.post('/stock/import', express.raw({ type: 'application/octet-stream' }), async (req, res) => {
  const bytes = new Uint8Array(req.body);
  const records = await shopSpans.parseImport(
    { bytes: bytes.byteLength, parser: PARSER_NAME },
    (span) => {
      const parsed = parseStockImport(bytes);
      shopSpans.parseImport.setAttributes(span, { records: parsed.length });
      return parsed;
    },
  );
  for (const { sku, delta } of records) {
    if (warehouse.has(sku)) warehouse.set(sku, Math.max(0, (warehouse.get(sku) ?? 0) + delta));
  }
  res.json({ imported: records.length });
});

app.use((error, req, res, _next) => {
  recordException(error);
  log('error', `inventory ${req.method} ${req.path} failed: ${error.message}`);
  res.status(503).json({ error: error.message });
});

await announce(createServer(app), 'inventory');
log('info', `inventory ready (cache: ${cache.kind}${leak ? ', leaking on purpose' : ''})`);
