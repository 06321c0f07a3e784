// Background worker (node:http): accepts order events, then processes them in batches. Each batch is
// one CONSUMER span that starts its own trace and links to the producer span of every event in it
// (one span cannot have N parents; links are how OpenTelemetry joins a batch to its requests).
// Started by runDemo with `node --import @sightline/node/register`: every span comes from Sightline.
import { createServer } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { linkFrom, withSpan } from '@sightline/node';
import {
  announce,
  callJson,
  log,
  registerHeapGauge,
  required,
  sleep,
} from '../lib/service-runtime.mjs';

// The orders service starts after the worker (it needs the worker's address), so its address
// arrives over IPC from runDemo, or from DEMO_ORDERS_URL when the worker is run by hand.
let ordersUrlFromParent;
process.on('message', (message) => {
  if (message?.type === 'peers') ordersUrlFromParent = message.ordersUrl;
});
const ordersUrl = () => ordersUrlFromParent ?? required('DEMO_ORDERS_URL');
const BATCH_SIZE = 20;
const BATCH_INTERVAL_MS = Number(process.env.DEMO_BATCH_INTERVAL_MS ?? 500);
registerHeapGauge();

/** @type {{ orderId: number, sku: string, headers: Record<string, string> }[]} */
let pending = [];

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/jobs') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      pending.push(job);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    } catch {
      res.writeHead(400).end();
    }
  });
});

async function processBatch(batch) {
  const links = batch
    .map((job) => linkFrom(job.headers, { 'messaging.message.id': String(job.orderId) }))
    .filter((link) => link !== undefined);
  await withSpan(
    'process order-events',
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links,
      attributes: {
        'messaging.system': 'demo',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'order-events',
        'messaging.batch.message_count': batch.length,
      },
    },
    async () => {
      for (const job of batch) {
        await withSpan('pack order', { attributes: { 'order.id': job.orderId } }, () =>
          sleep(1 + Math.random() * 2),
        );
      }
      // The fulfilment call joins this batch's trace to the orders service.
      const result = await callJson(`${ordersUrl()}/orders/fulfil`, {
        method: 'POST',
        body: JSON.stringify({ ids: batch.map((job) => job.orderId) }),
      });
      log('info', `batch of ${batch.length} order events processed`, {
        'messaging.batch.message_count': batch.length,
        'orders.fulfilled': result.body?.fulfilled ?? 0,
      });
    },
  );
}

async function loop() {
  for (;;) {
    await sleep(BATCH_INTERVAL_MS);
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH_SIZE);
      pending = pending.slice(BATCH_SIZE);
      await processBatch(batch).catch((error) => log('error', `batch failed: ${error.message}`));
    }
  }
}

await announce(server, 'worker');
log('info', 'worker ready');
void loop();
