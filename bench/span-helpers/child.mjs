// One process of the span-helpers benchmark. MODE=sdk registers Sightline (traces over OTLP
// http/protobuf to the driver's sink); MODE=noop registers nothing. Inside the process the variants
// run interleaved, sample by sample, so they share JIT state and machine drift.
// Prints `BENCH_RESULT {json}` with ns/op samples per variant.
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { init, withSpan } from '@sightline/node';

const mode = process.env.BENCH_MODE;
const ops = Number(process.env.BENCH_OPS);
const samples = Number(process.env.BENCH_SAMPLES);
const warmupMs = Number(process.env.BENCH_WARMUP_MS);

const handle =
  mode === 'sdk'
    ? init({
        service: { name: 'bench' },
        traces: { otlp: { endpoint: process.env.BENCH_OTLP_URL } },
        metrics: { exporters: ['none'] },
        logs: { exporters: ['none'] },
        shutdown: { handleSignals: false },
      })
    : undefined;
const tracer = trace.getTracer('bench');
const noop = () => {};
const ATTRS = { 'bench.size': 3, 'bench.name': 'x' };

/** Each variant does one span per iteration, the same work around it. */
const variants = {
  startActiveSpan: () => tracer.startActiveSpan('op', (span) => span.end()),
  withSpan: () => withSpan('op', noop),
  'startActiveSpan+attrs': () =>
    tracer.startActiveSpan('op', { attributes: { 'bench.size': 3, 'bench.name': 'x' } }, (span) =>
      span.end(),
    ),
  'withSpan+attrs': () => withSpan('op', { attributes: ATTRS }, noop),
};
const family = await loadFamily();
if (family) {
  variants.family = () => family.op({ size: 3, name: 'x' }, noop);
  variants['family-no-metrics'] = () => family.opNoMetrics({ size: 3, name: 'x' }, noop);
}

function time(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n;
}

async function main() {
  const names = Object.keys(variants);
  const warmupEnd = Date.now() + warmupMs;
  while (Date.now() < warmupEnd) for (const name of names) time(variants[name], 10_000);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of s % 2 ? [...names].reverse() : names) {
      await handle?.flush();
      await sleep(20);
      globalThis.gc?.();
      results[name].push(time(variants[name], ops));
    }
  }
  await handle?.shutdown();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ mode, results })}\n`);
}

/** The domain family variant, when @sightline/node/domains exists. */
async function loadFamily() {
  let domains;
  try {
    domains = await import('@sightline/node/domains');
  } catch {
    return undefined;
  }
  const { defineSpanFamily } = domains;
  const schema = { op: { attributes: { size: 'int', name: 'string' } } };
  const withMetrics = defineSpanFamily('bench', schema);
  const withoutMetrics = defineSpanFamily('bench', schema, { metrics: false });
  return { op: withMetrics.op, opNoMetrics: withoutMetrics.op };
}

await main();
