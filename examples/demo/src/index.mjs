// The public surface of @sightline/demo.

export { encodeStockImport, parseStockImport } from './lib/stock-import-parser.mjs';
export { heapTrend, judgeLeaks } from './lib/summarize-run.mjs';
export { runDemo } from './run-demo.mjs';
