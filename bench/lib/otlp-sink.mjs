// A minimal OTLP/HTTP protobuf receiver for benchmarks: it reads every body, counts the spans in
// trace requests and the records in log requests (metric requests are counted and kept), and
// answers 200 with an empty protobuf body (an empty Export*ServiceResponse).
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * Starts the sink on 127.0.0.1 with a free port. `counts` accumulates until `reset()`, so a driver
 * that runs one child at a time can attribute what arrived to that child.
 */
export async function startOtlpSink() {
  const counts = emptyCounts();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('error', () => counts.aborted++);
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      counts.requests++;
      try {
        let body = Buffer.concat(chunks);
        counts.bytes += body.length;
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (!String(req.headers['content-type']).startsWith('application/x-protobuf')) {
          throw new Error(`unexpected content-type ${req.headers['content-type']}`);
        }
        // ExportLogsServiceRequest nests like traces: resource_logs (1) → scope_logs (2) → log_records (2).
        if (req.url === '/v1/logs') counts.logs += countSpans(body);
        else if (req.url === '/v1/traces') counts.spans += countSpans(body);
        else if (req.url === '/v1/metrics') {
          // Metrics are not decoded: a benchmark can look for its metric names in the last body.
          counts.metricRequests++;
          counts.lastMetricBody = body;
        } else throw new Error(`unexpected path ${req.url}`);
      } catch (error) {
        counts.errors++;
        counts.lastError = String(error?.message ?? error);
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
    });
  });
  server.on('clientError', (_error, socket) => {
    counts.clientErrors++;
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/traces`,
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    metricsUrl: `http://127.0.0.1:${server.address().port}/v1/metrics`,
    counts,
    reset: () => Object.assign(counts, emptyCounts()),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function emptyCounts() {
  return {
    requests: 0,
    spans: 0,
    logs: 0,
    metricRequests: 0,
    bytes: 0,
    errors: 0,
    lastError: undefined,
    aborted: 0,
    clientErrors: 0,
    lastMetricBody: undefined,
  };
}

/**
 * Counts the spans in an `ExportTraceServiceRequest` without a protobuf library:
 * resource_spans (1) → scope_spans (2) → spans (2). A plain loop over the fields, allocating
 * nothing per field: the sink must cost the machine little, since it shares it with the load.
 */
export function countSpans(buf) {
  let spans = 0;
  let pos = 0;
  while (pos < buf.length) {
    const resource = nextField(buf, pos, buf.length);
    if (resource.field === 1 && resource.wire === 2) {
      let p2 = resource.start;
      while (p2 < resource.end) {
        const scope = nextField(buf, p2, resource.end);
        if (scope.field === 2 && scope.wire === 2) {
          let p3 = scope.start;
          while (p3 < scope.end) {
            const span = nextField(buf, p3, scope.end);
            if (span.field === 2 && span.wire === 2) spans++;
            p3 = span.end;
          }
        }
        p2 = scope.end;
      }
    }
    pos = resource.end;
  }
  return spans;
}

/** The field that starts at `pos`: number, wire type and payload bounds. */
function nextField(buf, pos, end) {
  const key = varint(buf, pos, end);
  const i = varintEnd;
  const field = Math.floor(key / 8);
  const wire = key % 8;
  let start = i;
  let payloadEnd;
  switch (wire) {
    case 0:
      varint(buf, i, end);
      payloadEnd = varintEnd;
      break;
    case 1:
      payloadEnd = i + 8;
      break;
    case 2: {
      const length = varint(buf, i, end);
      start = varintEnd;
      payloadEnd = start + length;
      break;
    }
    case 5:
      payloadEnd = i + 4;
      break;
    default:
      throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  if (payloadEnd > end) throw new Error('truncated protobuf message');
  return { field, wire, start, end: payloadEnd };
}

/** Where the last `varint()` ended (a module variable, so that reading one allocates nothing). */
let varintEnd = 0;

function varint(buf, pos, end) {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < end && i < pos + 10; i++) {
    const byte = buf[i];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      varintEnd = i + 1;
      return value;
    }
    scale *= 128;
  }
  throw new Error('malformed protobuf varint');
}
