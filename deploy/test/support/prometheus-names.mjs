/**
 * The Prometheus series names the OpenTelemetry JS Prometheus exporter
 * (@opentelemetry/exporter-prometheus, which the SDK serves) gives an OpenTelemetry metric: characters
 * outside [a-zA-Z0-9_:] become `_` (runs collapsed), monotonic sums get `_total`, histograms become
 * `_bucket`, `_sum` and `_count`. Unlike the Collector's exporters it appends NO unit suffix
 * (`http.server.request.duration` stays `http_server_request_duration`). deploy/test/scrape.test.mjs
 * checks this against the exporter's real output for every metric the fixture app emits.
 *
 * @param {{ name: string, kind: 'counter' | 'gauge' | 'histogram' }} metric
 *   `counter`: monotonic sum (Counter, ObservableCounter); `gauge`: gauge or non-monotonic sum
 *   (Gauge, UpDownCounter and their observable forms).
 */
export function prometheusNames({ name, kind }) {
  let base = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_{2,}/g, '_');
  if (/^[0-9]/.test(base)) base = `_${base}`;
  if (kind === 'counter') return [base.endsWith('_total') ? base : `${base}_total`];
  if (kind === 'histogram') return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
  return [base];
}

/** The kind of a catalogue entry (`METRICS` in @sightline/node): its instrument type. */
export function kindOfInstrument(type) {
  if (type === 'histogram') return 'histogram';
  if (type === 'counter' || type === 'observable counter') return 'counter';
  return 'gauge';
}

/** The kind of a metric as it arrives over OTLP (the in-process receiver's shape). */
export function kindOfOtlpMetric(metric) {
  if (metric.type === 'histogram') return 'histogram';
  if (metric.type === 'sum' && metric.isMonotonic === true) return 'counter';
  if (metric.type === 'sum' || metric.type === 'gauge') return 'gauge';
  return undefined; // exponential histograms and summaries are not served as such
}
