// A queue worker that processes jobs in batches. HTTP requests enqueue jobs (`POST /jobs`); the
// message carries the context of the request's PRODUCER span (`inject`). Every few hundred ms the
// worker takes up to BATCH_SIZE jobs and handles them under one CONSUMER span that starts its own
// trace and links to each job's producer span (`linkFrom`): a span has one parent, but as many
// links as it needs, which is how OpenTelemetry ties a batch to the requests behind it.
//
// `npm start` runs the worker and, to have something to show, sends it JOBS requests itself, then
// drains the queue and exits (Sightline flushes on the way out). Sightline itself is started by
// `node --import @sightline/node/register` (see package.json).
import { createServer } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { inject, linkFrom, withSpan } from '@sightline/node';

const JOBS = Number(process.env.JOBS ?? 25);
const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? 10);

/** @type {{ id: number, headers: Record<string, string> }[]} */
const queue = [];
let nextId = 1;

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/jobs') return res.writeHead(404).end();
  const id = nextId++;
  withSpan(
    'jobs publish',
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.destination.name': 'jobs', 'messaging.message.id': String(id) },
    },
    () => queue.push({ id, headers: inject({}) }),
  );
  res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
});

async function processBatch(batch) {
  const links = batch
    .map((job) => linkFrom(job.headers, { 'messaging.message.id': String(job.id) }))
    .filter((link) => link !== undefined);
  await withSpan(
    'jobs process',
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links,
      attributes: {
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'jobs',
        'messaging.batch.message_count': batch.length,
      },
    },
    async () => {
      for (const job of batch)
        await withSpan(
          'handle job',
          { attributes: { 'job.id': job.id } },
          () => new Promise((resolve) => setTimeout(resolve, 2)),
        );
    },
  );
}

let batches = 0;
let processed = 0;
const timer = setInterval(async () => {
  if (queue.length === 0) return;
  const batch = queue.splice(0, BATCH_SIZE);
  batches++;
  processed += batch.length;
  await processBatch(batch);
}, 200);

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(`batch-worker listening on ${url}`);
  for (let i = 0; i < JOBS; i++) await fetch(`${url}/jobs`, { method: 'POST' });
  while (processed < JOBS) await new Promise((resolve) => setTimeout(resolve, 50));
  clearInterval(timer);
  server.close();
  console.log(
    `processed ${processed} jobs in ${batches} batches; each "jobs process" span links to the requests that enqueued its jobs`,
  );
});
