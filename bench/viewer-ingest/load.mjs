// The load process: sends OTLP/HTTP protobuf batches of 1,000 spans (100 traces x 10 spans, 4 services) with
// `concurrency` requests in flight until `spans` spans were acknowledged. A 429/503 is retried after its
// Retry-After. Prints one BENCH_RESULT JSON line: acknowledged spans, seconds, spans/s, sample trace ids.
//
//   node load.mjs <url> <spans> [concurrency] [runTag] [firstRequest]
import { request } from 'node:http';
import { buildTemplate, makeRequest, traceIdHex } from './encode-batch.mjs';

const [url, spansArg, concArg = '4', tagArg = '1', firstArg = '0'] = process.argv.slice(2);
const target = Number(spansArg);
const concurrency = Number(concArg);
const runTag = Number(tagArg);
let next = Number(firstArg);
const tpl = buildTemplate(100, 10);
const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: concurrency });
const endpoint = new URL('/v1/traces', url);

function send(body) {
  return new Promise((resolve, reject) => {
    const req = request(
      endpoint,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let acked = 0;
let reserved = 0;
let refused = 0;
const samples = [];
const started = performance.now();
async function worker() {
  while (reserved < target) {
    reserved += tpl.spans;
    const n = next++;
    const body = makeRequest(tpl, n, runTag, BigInt(Date.now()) * 1_000_000n);
    while (true) {
      const r = await send(body);
      if (r.status === 200) break;
      if (r.status === 429 || r.status === 503) {
        refused++;
        await new Promise((res) => setTimeout(res, Number(r.retryAfter ?? 1) * 100));
        continue;
      }
      throw new Error(`status ${r.status}`);
    }
    acked += tpl.spans;
    if (samples.length < 500 && n % 7 === 0) samples.push(traceIdHex(runTag, n, n % tpl.traces));
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
agent.destroy();
console.log(
  `BENCH_RESULT ${JSON.stringify({ spans: acked, seconds, spansPerSecond: acked / seconds, refused, nextRequest: next, bytesPerRequest: tpl.template.length, samples })}`,
);
