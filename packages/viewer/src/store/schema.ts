/**
 * The store's tables, shaped for the queries: every row carries its run and service; spans keep start time
 * and duration as BIGINT nanoseconds (zone maps prune time ranges because data arrives roughly in time
 * order); attribute maps are JSON so filters can reach any key.
 */

export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value BIGINT);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, source VARCHAR NOT NULL,
  started_ns BIGINT NOT NULL, ended_ns BIGINT
);
CREATE TABLE IF NOT EXISTS origins (
  id UBIGINT NOT NULL, service VARCHAR NOT NULL, resource VARCHAR NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, scope_attributes VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS spans (
  run_id INTEGER NOT NULL, trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL,
  parent_span_id VARCHAR NOT NULL, name VARCHAR NOT NULL, kind TINYINT NOT NULL,
  start_ns BIGINT NOT NULL, end_ns BIGINT NOT NULL, duration_ns BIGINT NOT NULL,
  status_code TINYINT NOT NULL, flags UINTEGER NOT NULL, service VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL, origin_id UBIGINT NOT NULL,
  -- trace state, status message, events, links and dropped counts; NULL when all are empty
  detail VARCHAR
);
-- One row per trace per commit: where in time a trace's spans are. The ART index makes a trace lookup a
-- point query; the time range then lets DuckDB's zone maps skip all but a few span row groups.
CREATE TABLE IF NOT EXISTS trace_index (trace_id VARCHAR NOT NULL, min_start_ns BIGINT NOT NULL, max_start_ns BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS trace_index_id ON trace_index (trace_id);
CREATE OR REPLACE VIEW spans_full AS
SELECT s.run_id, s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns, s.end_ns,
  s.duration_ns, s.status_code, s.flags, s.service, s.attributes,
  coalesce(json_extract_string(s.detail, '$.traceState'), '') AS trace_state,
  coalesce(json_extract_string(s.detail, '$.statusMessage'), '') AS status_message,
  coalesce(json_extract(s.detail, '$.events')::VARCHAR, '[]') AS events,
  coalesce(json_extract(s.detail, '$.links')::VARCHAR, '[]') AS links,
  coalesce(json_extract(s.detail, '$.droppedAttributes')::UINTEGER, 0) AS dropped_attributes,
  coalesce(json_extract(s.detail, '$.droppedEvents')::UINTEGER, 0) AS dropped_events,
  coalesce(json_extract(s.detail, '$.droppedLinks')::UINTEGER, 0) AS dropped_links,
  o.resource, o.scope_name, o.scope_version, o.scope_attributes
FROM spans s JOIN origins o ON o.id = s.origin_id;
CREATE TABLE IF NOT EXISTS metric_points (
  run_id INTEGER NOT NULL, name VARCHAR NOT NULL, description VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  type VARCHAR NOT NULL, temporality TINYINT NOT NULL, is_monotonic BOOLEAN,
  service VARCHAR NOT NULL, resource VARCHAR NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, scope_attributes VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL, start_ns BIGINT NOT NULL, time_ns BIGINT NOT NULL, flags UINTEGER NOT NULL,
  value DOUBLE, value_int BIGINT, count UBIGINT, sum DOUBLE, min DOUBLE, max DOUBLE,
  bucket_counts VARCHAR, explicit_bounds VARCHAR, scale INTEGER, zero_count UBIGINT, zero_threshold DOUBLE,
  positive VARCHAR, negative VARCHAR, quantiles VARCHAR, exemplars VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS logs (
  run_id INTEGER NOT NULL, time_ns BIGINT NOT NULL, observed_ns BIGINT NOT NULL,
  severity_number TINYINT NOT NULL, severity_text VARCHAR NOT NULL, body VARCHAR NOT NULL,
  body_text VARCHAR NOT NULL, attributes VARCHAR NOT NULL, dropped_attributes UINTEGER NOT NULL,
  flags UINTEGER NOT NULL, trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, event_name VARCHAR NOT NULL,
  service VARCHAR NOT NULL, resource VARCHAR NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, scope_attributes VARCHAR NOT NULL
);
`;

/** Column order of the appenders; must match the CREATE TABLE statements above. */
export const TABLES = { spans: 'spans', metricPoints: 'metric_points', logs: 'logs' } as const;
