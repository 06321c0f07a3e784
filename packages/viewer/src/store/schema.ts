/**
 * The store's tables, shaped for the queries: every row carries its run and service; spans keep start time
 * and duration as BIGINT nanoseconds (zone maps prune time ranges because data arrives roughly in time
 * order); attribute maps are JSON so filters can reach any key.
 */

export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value BIGINT);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, source VARCHAR NOT NULL,
  started_ns BIGINT NOT NULL, ended_ns BIGINT
);
CREATE TABLE IF NOT EXISTS spans (
  run_id INTEGER NOT NULL, trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL,
  parent_span_id VARCHAR NOT NULL, trace_state VARCHAR NOT NULL, name VARCHAR NOT NULL,
  kind TINYINT NOT NULL, start_ns BIGINT NOT NULL, end_ns BIGINT NOT NULL, duration_ns BIGINT NOT NULL,
  status_code TINYINT NOT NULL, status_message VARCHAR NOT NULL, flags UINTEGER NOT NULL,
  attributes JSON NOT NULL, events JSON NOT NULL, links JSON NOT NULL,
  dropped_attributes UINTEGER NOT NULL, dropped_events UINTEGER NOT NULL, dropped_links UINTEGER NOT NULL,
  service VARCHAR NOT NULL, resource JSON NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, scope_attributes JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS metric_points (
  run_id INTEGER NOT NULL, name VARCHAR NOT NULL, description VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  type VARCHAR NOT NULL, temporality TINYINT NOT NULL, is_monotonic BOOLEAN,
  service VARCHAR NOT NULL, resource JSON NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, scope_attributes JSON NOT NULL,
  attributes JSON NOT NULL, start_ns BIGINT NOT NULL, time_ns BIGINT NOT NULL, flags UINTEGER NOT NULL,
  value DOUBLE, value_int BIGINT, count UBIGINT, sum DOUBLE, min DOUBLE, max DOUBLE,
  bucket_counts JSON, explicit_bounds JSON, scale INTEGER, zero_count UBIGINT, zero_threshold DOUBLE,
  positive JSON, negative JSON, quantiles JSON, exemplars JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS logs (
  run_id INTEGER NOT NULL, time_ns BIGINT NOT NULL, observed_ns BIGINT NOT NULL,
  severity_number TINYINT NOT NULL, severity_text VARCHAR NOT NULL, body JSON NOT NULL,
  body_text VARCHAR NOT NULL, attributes JSON NOT NULL, dropped_attributes UINTEGER NOT NULL,
  flags UINTEGER NOT NULL, trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, event_name VARCHAR NOT NULL,
  service VARCHAR NOT NULL, resource JSON NOT NULL,
  scope_name VARCHAR NOT NULL, scope_version VARCHAR NOT NULL, scope_attributes JSON NOT NULL
);
`;

/** Column order of the appenders; must match the CREATE TABLE statements above. */
export const TABLES = { spans: 'spans', metricPoints: 'metric_points', logs: 'logs' } as const;
