// API gateway (express): the public entry point. Every request fans out to the orders and
// inventory services over HTTP; the fetch instrumentation injects W3C `traceparent` on each call.
// Started by runDemo with `node --import @sightline/node/register`: every span comes from Sightline.
import { createServer } from 'node:http';
import { recordException, withBaggage } from '@sightline/node';
import express from 'express';
import { announce, callJson, log, registerHeapGauge, required } from '../lib/service-runtime.mjs';

const ordersUrl = required('DEMO_ORDERS_URL');
const inventoryUrl = required('DEMO_INVENTORY_URL');
registerHeapGauge();

const app = express();
app.use(express.json());
// The caller's tier travels as W3C baggage to every service downstream; each service copies it onto
// its spans as baggage.demo.customer.tier (SIGHTLINE_BAGGAGE_ATTRIBUTES, set by runDemo).
app.use((req, _res, next) => {
  const tier = req.get('x-customer-tier') === 'gold' ? 'gold' : 'standard';
  withBaggage({ 'demo.customer.tier': tier }, next);
});

/** Answers with a downstream response as it came. */
const relay = (res, { status, body }) => res.status(status).json(body ?? {});

app.get('/api/products/:sku', async (req, res) => {
  relay(res, await callJson(`${inventoryUrl}/stock/${encodeURIComponent(req.params.sku)}`));
});

app.post('/api/orders', async (req, res) => {
  const result = await callJson(`${ordersUrl}/orders`, {
    method: 'POST',
    body: JSON.stringify(req.body ?? {}),
  });
  if (result.status >= 500) log('warn', `order refused: ${result.body?.error}`);
  relay(res, result);
});

app.get('/api/orders/:id', async (req, res) => {
  relay(res, await callJson(`${ordersUrl}/orders/${encodeURIComponent(req.params.id)}`));
});

app.get('/api/reports/daily', async (_req, res) => {
  relay(res, await callJson(`${ordersUrl}/reports/daily`));
});

app.post(
  '/api/inventory/import',
  express.raw({ type: 'application/octet-stream' }),
  async (req, res) => {
    const response = await fetch(`${inventoryUrl}/stock/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: req.body,
    });
    res.status(response.status).json(await response.json());
  },
);

app.use((error, req, res, _next) => {
  recordException(error);
  log('error', `gateway ${req.method} ${req.path} failed: ${error.message}`);
  res.status(500).json({ error: error.message });
});

await announce(createServer(app), 'gateway');
log('info', 'gateway ready');
