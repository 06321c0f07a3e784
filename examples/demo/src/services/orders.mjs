// Orders service (fastify): places orders (reserve stock at inventory, write the order in a
// transaction, publish an event to the worker), reads them back, fulfils them in batches, and a
// daily report that is slow on purpose.
// Started by runDemo with `node --import @sightline/node/register`: every span comes from Sightline.
import { inject, recordException } from '@sightline/node';
import Fastify from 'fastify';
import { openOrderStore } from '../lib/order-store.mjs';
import { announce, callJson, log, registerHeapGauge, required } from '../lib/service-runtime.mjs';
import { shopSpans } from '../lib/shop-spans.mjs';

const inventoryUrl = required('DEMO_INVENTORY_URL');
const workerUrl = required('DEMO_WORKER_URL');
const store = await openOrderStore();
registerHeapGauge();

const PRICE_CENTS = 1299;

const app = Fastify({ logger: false });

app.post('/orders', async (request, reply) => {
  const { sku, quantity = 1 } = /** @type {{ sku: string, quantity?: number }} */ (request.body);
  const totalCents = shopSpans.priceOrder({ sku, quantity }, (span) => {
    const total = PRICE_CENTS * quantity;
    shopSpans.priceOrder.setAttributes(span, { totalCents: total });
    return total;
  });
  const reservation = await callJson(`${inventoryUrl}/reserve`, {
    method: 'POST',
    body: JSON.stringify({ sku, quantity }),
  });
  if (!reservation.ok) {
    const error = new Error(`inventory refused the reservation: ${reservation.body?.error}`);
    Object.assign(error, { statusCode: reservation.status === 404 ? 404 : 502 });
    throw error;
  }
  const order = await store.insertOrder({ sku, quantity, totalCents });
  await shopSpans.publishOrderEvent(
    { orderId: order.id, destination: 'order-events', system: 'demo' },
    async () => {
      // The message carries the producer span's context; the worker links its batch span to it.
      const headers = inject({});
      const sent = await callJson(`${workerUrl}/jobs`, {
        method: 'POST',
        body: JSON.stringify({ orderId: order.id, sku, headers }),
      });
      if (!sent.ok) throw new Error(`worker refused the event (${sent.status})`);
    },
  );
  log('info', `order ${order.id} placed`, { 'order.id': order.id, 'order.sku': sku });
  reply.code(201);
  return order;
});

app.get('/orders/:id', async (request, reply) => {
  const id = Number(/** @type {{ id: string }} */ (request.params).id);
  const order = Number.isInteger(id) ? await store.getOrder(id) : undefined;
  if (!order) {
    reply.code(404);
    return { error: 'no such order' };
  }
  return order;
});

app.post('/orders/fulfil', async (request) => {
  const { ids } = /** @type {{ ids: number[] }} */ (request.body);
  return { fulfilled: await store.markFulfilled(ids) };
});

app.get('/reports/daily', async () => ({ rows: await store.dailyReport() }));

app.setErrorHandler((error, request, reply) => {
  recordException(error);
  log('error', `orders ${request.method} ${request.url} failed: ${error.message}`);
  reply.code(error.statusCode ?? 500).send({ error: error.message });
});

await app.ready();
await announce(app.server, 'orders');
log('info', `orders ready (database: ${store.kind})`);
