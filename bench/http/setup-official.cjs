// Preloaded with `--require` for the official variants of the HTTP benchmark: the official SDK
// 3.x wired by hand (the way its README shows) exporting traces over OTLP http/protobuf, with
// BENCH_OFFICIAL=http → @opentelemetry/instrumentation-http alone, or
// BENCH_OFFICIAL=auto → @opentelemetry/auto-instrumentations-node (its defaults).
'use strict';
const { context, propagation, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BatchSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');

const url = process.env.BENCH_OTLP_URL;
const provider = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);

let instrumentations;
if (process.env.BENCH_OFFICIAL === 'auto') {
  const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
  instrumentations = getNodeAutoInstrumentations();
} else {
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  instrumentations = [new HttpInstrumentation()];
}
registerInstrumentations({ instrumentations, tracerProvider: provider });

process.once('SIGTERM', () => {
  provider.shutdown().catch(() => {});
});
