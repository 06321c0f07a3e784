export { type ExportCounts, exportRun } from './bundle/export-bundle.js';
export { type ImportResult, importBundle } from './bundle/import-bundle.js';
export { ERROR_CODES, SightlineError, type ViewerErrorCode } from './errors.js';
export { decodeRequest, type Encoding } from './receiver/decode-request.js';
export type {
  Decoded,
  DecodedBatch,
  LogRow,
  MetricPointRow,
  MetricType,
  Signal,
  SpanRow,
} from './receiver/rows.js';
export { DATABASE_FILE, defaultDataDir } from './store/data-dir.js';
export { defaultRunName } from './store/runs.js';
export { Store, type StoreOptions } from './store/store.js';
export { startViewer, type Viewer, type ViewerOptions } from './viewer.js';
