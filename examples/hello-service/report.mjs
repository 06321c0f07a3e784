// Prints what the sink received. Telemetry strings are untrusted: control characters are escaped
// before they reach the terminal.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Escapes control characters (including ESC, so no terminal sequence gets through). */
export function printable(value) {
  return String(value).replace(
    CONTROL,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function attributeValue(value) {
  if (!value) return undefined;
  return value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
}

function attributes(list) {
  return Object.fromEntries((list ?? []).map((a) => [a.key, attributeValue(a.value)]));
}

export function collectSpans(traceRequests) {
  const spans = [];
  for (const body of traceRequests) {
    for (const rs of body.resourceSpans ?? []) {
      const service = attributes(rs.resource?.attributes)['service.name'];
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) spans.push({ ...span, service });
    }
  }
  return spans;
}

export function printReport(received, out) {
  const spans = collectSpans(received.traces);
  const byTrace = Map.groupBy(spans, (s) => s.traceId);
  out.write(`\nSightline exported ${spans.length} spans in ${byTrace.size} traces:\n`);
  for (const [traceId, traceSpans] of byTrace) {
    out.write(`\n  trace ${printable(traceId)}\n`);
    const children = Map.groupBy(traceSpans, (s) => s.parentSpanId || '');
    const ids = new Set(traceSpans.map((s) => s.spanId));
    const roots = traceSpans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    const walk = (span, depth) => {
      const ms = (
        Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6
      ).toFixed(1);
      const error = span.status?.code === 2 ? '  ERROR' : '';
      out.write(
        `    ${'  '.repeat(depth)}${printable(span.name)}  ${ms} ms  [${printable(span.service)}]${error}\n`,
      );
      for (const child of children.get(span.spanId) ?? []) walk(child, depth + 1);
    };
    for (const root of roots) walk(root, 0);
  }

  const points = new Map();
  for (const body of received.metrics) {
    for (const rm of body.resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          const data =
            metric.sum ??
            metric.gauge ??
            metric.histogram ??
            metric.exponentialHistogram ??
            metric.summary;
          points.set(metric.name, data?.dataPoints ?? []);
        }
      }
    }
  }
  out.write(`\nMetrics (${points.size}):\n`);
  for (const [name, dataPoints] of points) {
    const total = dataPoints.reduce(
      (sum, p) => sum + Number(p.asInt ?? p.asDouble ?? p.count ?? 0),
      0,
    );
    out.write(`  ${printable(name)}  ${dataPoints.length} series, total ${total}\n`);
  }

  const records = received.logs.flatMap((body) =>
    (body.resourceLogs ?? []).flatMap((rl) =>
      (rl.scopeLogs ?? []).flatMap((sl) => sl.logRecords ?? []),
    ),
  );
  out.write(`\nLog records (${records.length}):\n`);
  for (const record of records) {
    out.write(
      `  ${printable(record.severityText ?? '')}  ${printable(attributeValue(record.body) ?? '')}  trace ${printable(record.traceId ?? '-')}\n`,
    );
  }
  out.write(
    '\nNext: point OTEL_EXPORTER_OTLP_ENDPOINT at a collector, or wait for `sightline dev`.\n',
  );
}
