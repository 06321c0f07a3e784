import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSummary, printable } from '../src/lib/format-summary.mjs';
import { encodeStockImport, parseStockImport } from '../src/lib/stock-import-parser.mjs';
import { heapTrend, judgeLeaks } from '../src/lib/summarize-run.mjs';

const MB = 1024 * 1024;
const line = (service, mbPerSecond, seconds = 20) =>
  heapTrend(
    service,
    Array.from({ length: seconds }, (_, i) => ({
      tMs: i * 1000,
      last: 50 * MB + i * mbPerSecond * MB,
    })),
  );

describe('stock import parser (arena-backed)', () => {
  it('decodes what the encoder wrote, message after message', () => {
    const records = [
      { sku: 'SKU-0001', delta: 5 },
      { sku: 'ü', delta: -3 },
      { sku: '', delta: 2147483647 },
    ];
    for (let i = 0; i < 1000; i++)
      assert.deepEqual(parseStockImport(encodeStockImport(records)), records);
    assert.deepEqual(parseStockImport(new Uint8Array(0)), []);
  });

  it('rejects a truncated record, and parses the next message fine', () => {
    const bytes = encodeStockImport([{ sku: 'SKU-0001', delta: 1 }]);
    assert.throws(
      () => parseStockImport(bytes.subarray(0, bytes.byteLength - 1)),
      /truncated record at byte 0/,
    );
    assert.deepEqual(parseStockImport(bytes), [{ sku: 'SKU-0001', delta: 1 }]);
  });
});

describe('leak verdict', () => {
  it('fits the heap trend: slope, growth and r²', () => {
    const trend = line('inventory', 4);
    assert.ok(Math.abs(trend.slopeBytesPerSecond - 4 * MB) < 1);
    assert.ok(Math.abs(trend.growthBytes - 76 * MB) < 1);
    assert.ok(trend.r2 > 0.999);
  });

  it('suspects the one service whose live heap keeps growing, not the ones that are flat', () => {
    const verdict = judgeLeaks([line('gateway', 0), line('inventory', 4), line('orders', 0.05)]);
    assert.deepEqual(
      verdict.filter((t) => t.suspected).map((t) => t.service),
      ['inventory'],
    );
  });

  it('suspects nothing when every heap grows a little (warm-up), or there are too few points', () => {
    const verdict = judgeLeaks([line('gateway', 0.3), line('inventory', 0.4), line('orders', 0.3)]);
    assert.equal(
      verdict.some((t) => t.suspected),
      false,
    );
    assert.equal(
      heapTrend('x', [
        { tMs: 0, last: 1 },
        { tMs: 1000, last: 900 * MB },
      ]).suspected,
      false,
    );
  });

  it('prints the verdict only when the leak was switched on', () => {
    const result = {
      uiUrl: 'http://127.0.0.1:4318/',
      durationMs: 20_000,
      load: { requests: 10, errors: 1, failures: 0, byEndpoint: {} },
      summary: {
        runId: 1,
        traces: 10,
        tracesCounted: 'all',
        errorTraces: 1,
        services: ['gateway'],
        spans: 40,
        logs: 3,
        metricPoints: 9,
        endpoints: [{ endpoint: 'GET /api/x', count: 10, errorRate: 0.1, p50Ms: 1, p99Ms: 9 }],
        heap: judgeLeaks([line('gateway', 0), line('inventory', 4)]),
      },
    };
    assert.doesNotMatch(formatSummary(result, { leak: false }), /leak verdict/);
    const text = formatSummary(result, { leak: true });
    assert.match(text, /leak verdict: leak suspected in inventory/);
    assert.match(text, /GET \/api\/x\s+10\s+10\.0%\s+1\.0 ms\s+9\.0 ms/);
    assert.match(text, /Open the UI: http:\/\/127\.0\.0\.1:4318\//);
  });

  it('calls a short run without a suspect inconclusive rather than clean', () => {
    const result = {
      uiUrl: 'http://127.0.0.1:4318/',
      durationMs: 5000,
      load: { requests: 1, errors: 0, failures: 0, byEndpoint: {} },
      summary: {
        runId: 1,
        traces: 1,
        tracesCounted: 'all',
        errorTraces: 0,
        services: [],
        spans: 1,
        logs: 0,
        metricPoints: 0,
        endpoints: [],
        heap: judgeLeaks([line('inventory', 3, 5), line('gateway', 0, 5)]),
      },
    };
    assert.match(
      formatSummary(result, { leak: true }),
      /leak verdict: inconclusive, 5 s is too short/,
    );
  });

  it('prints telemetry strings without their control characters', () => {
    assert.equal(printable('GET /x\u001b[2J\n'), 'GET /x\\u001b[2J\\u000a');
  });
});
