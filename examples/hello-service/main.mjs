// A small HTTP service instrumented with Sightline. It exports OTLP (http/json) to a sink running in
// this same process, then prints what arrived: the trace trees, the metrics and the log records.
// `npm start` at the repository root runs it; the viewer (`sightline dev`) will replace the sink.
import { createServer, request } from 'node:http';
import { context, metrics, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { init } from '@sightline/node';
import { startJsonSink } from './json-sink.mjs';
import { printReport } from './report.mjs';

const sink = await startJsonSink();
const sightline = init({
  service: { name: 'hello-service', version: '1.0.0' },
  otlp: { endpoint: sink.url, protocol: 'http/json' },
  traces: { batch: { scheduledDelayMillis: 200 } },
  logs: { batch: { scheduledDelayMillis: 200 } },
  // This example makes its HTTP spans by hand (below); the automatic ones would record each twice.
  instrumentations: { disabled: ['http', 'undici'] },
  shutdown: { handleSignals: false },
});

const tracer = trace.getTracer('hello-service', '1.0.0');
const meter = metrics.getMeter('hello-service', '1.0.0');
const logger = logs.getLogger('hello-service', '1.0.0');
const requests = meter.createCounter('hello.requests', {
  description: 'Requests served',
  unit: '{request}',
});
const latency = meter.createHistogram('hello.duration', {
  description: 'Time to serve a request',
  unit: 'ms',
});

// Spans by hand, to show the tracing API; docs/instrumentation.md has the automatic ones.
const server = createServer((req, res) => {
  const parent = propagation.extract(context.active(), req.headers);
  const route = new URL(req.url ?? '/', 'http://x').pathname;
  const started = performance.now();
  tracer.startActiveSpan(
    `${req.method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': route },
    },
    parent,
    async (span) => {
      try {
        const body = await tracer.startActiveSpan('render greeting', async (render) => {
          await new Promise((resolve) => setTimeout(resolve, route === '/slow' ? 120 : 5));
          render.end();
          if (route === '/fail') throw new Error('the greeting could not be rendered');
          return `hello from ${route}\n`;
        });
        res.writeHead(200).end(body);
        span.setAttribute('http.response.status_code', 200);
        logger.emit({
          severityNumber: SeverityNumber.INFO,
          severityText: 'INFO',
          body: `served ${route}`,
        });
      } catch (error) {
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.setAttribute('http.response.status_code', 500);
        res.writeHead(500).end('failed\n');
        logger.emit({
          severityNumber: SeverityNumber.ERROR,
          severityText: 'ERROR',
          body: `failed ${route}: ${error.message}`,
        });
      } finally {
        requests.add(1, { 'http.route': route, 'http.response.status_code': res.statusCode });
        latency.record(performance.now() - started, { 'http.route': route });
        span.end();
      }
    },
  );
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

function call(path) {
  return tracer.startActiveSpan(`GET ${path}`, { kind: SpanKind.CLIENT }, (span) => {
    const headers = {};
    propagation.inject(context.active(), headers);
    return new Promise((resolve) => {
      request({ host: '127.0.0.1', port, path, headers }, (res) => {
        res.resume().on('end', () => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          resolve(res.statusCode);
        });
      }).end();
    });
  });
}

for (const path of ['/hello', '/hello', '/slow', '/fail', '/hello']) await call(path);
server.close();
await sightline.shutdown();
await sink.stop();
printReport(sink.received, process.stdout);
