// OTLP span encoding cost, side by side in one process: Sightline's OtlpTraceEncoder (the one the
// export queue appends each ended span to) against the official ProtobufTraceSerializer, on batches
// of server-like spans. Two inputs for Sightline's encoder: `repeating`, as a server's spans are (the
// same method, scheme, host, port, status from span to span; fresh ids and times), and `unique`, the
// same shape with every string value new in each span, where copying a repeated attribute's bytes
// never applies. Rounds interleave the three; the figure is main-thread CPU per span (a sample of 512,000
// spans: the thread clock advances in scheduler ticks), median of rounds.
// `sightline lean` encodes the spans of Sightline's own tracer provider (LeanSpan), as the SDK
// does in an app: their ids' bytes are copied from where the id generator drew them. `sightline lean
// hex` encodes the same spans seen as plain ReadableSpan objects, so their ids are decoded from hex.
// Before timing, each batch's bytes are checked equal to the official serializer's.
//
//   node otlp-encode/run.mjs [--quick] [--rounds N] [--batches N] [--out FILE]
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { fmtNs, intArg, log, median, resultsPath, round2 } from '../lib/common.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    batches: { type: 'string' },
    out: { type: 'string' },
  },
});
const settings = {
  rounds: intArg(args, 'rounds', args.quick ? 1 : 7),
  /** Batches of 512 spans encoded per variant and round. */
  batches: intArg(args, 'batches', args.quick ? 8 : 1000),
  batchSize: 512,
};
const out = resultsPath('otlp-encode', args);

const dist = (file) => new URL(`../../packages/node/dist/src/${file}`, import.meta.url).href;
const { OtlpTraceEncoder } = await import(dist('export/otlp-trace-encoder.js'));
const { SightlineTracerProvider } = await import(dist('trace/sightline-tracer-provider.js'));

/** 512 ended SERVER spans as the HTTP instrumentation makes them, values repeating or not. */
function serverSpans(unique, Provider = TracerProvider) {
  const memory = new InMemorySpanExporter();
  const provider = new Provider({
    resource: resourceFromAttributes({ 'service.name': 'bench-encode', 'host.name': 'bench' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('@sightline/node/http', '0.1.0');
  for (let i = 0; i < settings.batchSize; i++) {
    const v = (text) => (unique ? `${text}-${i}` : text);
    const span = tracer.startSpan('GET', {
      kind: 1,
      attributes: {
        'http.request.method': 'GET',
        'url.path': v('/'),
        'url.scheme': 'http',
        'network.protocol.version': '1.1',
        'server.address': v('127.0.0.1'),
        'server.port': unique ? 30_000 + i : 34_567,
        'client.address': v('127.0.0.1'),
        'user_agent.original': v('autocannon/9.0.0'),
      },
    });
    span.setAttribute('http.response.status_code', unique ? 200 + (i % 300) : 200);
    span.setAttribute('http.response.body.size', unique ? i : 11);
    span.end();
  }
  return memory.getFinishedSpans();
}

/** A span as a plain `ReadableSpan` object: the encoder does not know where its ids' bytes are. */
function plain(span) {
  const ctx = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => ctx,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

const lean = serverSpans(false, SightlineTracerProvider);
const inputs = {
  repeating: serverSpans(false),
  unique: serverSpans(true),
  lean,
  leanHex: lean.map(plain),
};
const encoder = new OtlpTraceEncoder();
const VARIANTS = {
  'sightline repeating': () => encodeWith(inputs.repeating),
  'sightline unique': () => encodeWith(inputs.unique),
  'sightline lean': () => encodeWith(inputs.lean),
  'sightline lean hex': () => encodeWith(inputs.leanHex),
  'official repeating': () => ProtobufTraceSerializer.serializeRequest(inputs.repeating),
};

function encodeWith(spans) {
  for (const span of spans) encoder.append(span);
  const bytes = encoder.take();
  encoder.reuse(bytes.buffer);
  return bytes;
}

// Same bytes as the official serializer, twice each (the second time from kept attribute bytes).
for (const spans of Object.values(inputs)) {
  const official = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans));
  for (let i = 0; i < 2; i++) assert.deepEqual(Buffer.from(encodeWith(spans)), official);
}

const cpuMicros = () => {
  const usage = process.threadCpuUsage();
  return usage.user + usage.system;
};
const names = Object.keys(VARIANTS);
const perSpan = Object.fromEntries(names.map((name) => [name, []]));
for (const run of Object.values(VARIANTS)) for (let i = 0; i < 20; i++) run(); // warm-up
for (let round = 0; round < settings.rounds; round++) {
  for (const name of names.map((_, i) => names[(i + round) % names.length])) {
    const run = VARIANTS[name];
    const start = cpuMicros();
    for (let b = 0; b < settings.batches; b++) run();
    const ns = ((cpuMicros() - start) * 1000) / (settings.batches * settings.batchSize);
    perSpan[name].push(ns);
  }
}

const rows = names.map((name) => ({
  variant: name,
  nsPerSpan: round2(median(perSpan[name])),
  minNsPerSpan: round2(Math.min(...perSpan[name])),
  maxNsPerSpan: round2(Math.max(...perSpan[name])),
}));
const official = rows.find((r) => r.variant === 'official repeating').nsPerSpan;
for (const row of rows) row.vsOfficial = round2(row.nsPerSpan / official);
const bytesPerSpan = Math.round(encodeWith(inputs.repeating).length / settings.batchSize);

const result = {
  benchmark: 'otlp-encode',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
  settings,
  bytesPerSpan,
  rows,
  rounds: perSpan,
};
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);

console.log(
  `OTLP encoding of server-like spans (${bytesPerSpan} bytes each): main-thread CPU ns/span, median [min-max]`,
);
for (const row of rows) {
  console.log(
    `  ${row.variant.padEnd(20)} ${fmtNs(row.nsPerSpan).padStart(6)} [${fmtNs(row.minNsPerSpan)}-${fmtNs(row.maxNsPerSpan)}]  ${row.vsOfficial}x official`,
  );
}
log(`wrote ${path.relative(process.cwd(), out)}`);
