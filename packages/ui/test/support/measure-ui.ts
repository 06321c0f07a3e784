/**
 * How fast the UI is with a large store: first load of the traces page, and the 5,000-span trace
 * detail (direct load and in-app navigation from the list), in headless chromium at 1280x800.
 *
 *   npm run measure -w @sightline/ui              # 1,000,000 background spans
 *   npm run measure -w @sightline/ui -- --spans 100000 --rounds 3
 *
 * Writes bench/results/ui-load.json. Times are wall-clock from the action to the rows on screen.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { postOtlp, type SpanSpec, tracesRequest } from './otlp-json.js';
import { ingestAfter, makeScenario } from './scenario.js';
import { launchBrowser, UI_DIR } from './viewer-harness.js';
import { startViewer } from './viewer-process.js';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
  },
});
const backgroundSpans = Number(values.spans);
const rounds = Number(values.rounds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-ui-measure-'));
const viewer = await startViewer({
  httpPort: 0,
  grpcPort: false,
  dataDir,
  uiDir: UI_DIR,
  runName: 'measure',
});
const sc = makeScenario();
let counter = 0;
const id = (bytes: number) => (++counter).toString(16).padStart(bytes * 2, '0');
const ingestStart = performance.now();
const perTrace = 10;
const batchTraces = 500;
for (let sent = 0; sent < backgroundSpans; sent += batchTraces * perTrace) {
  const spans: SpanSpec[] = [];
  for (let t = 0; t < batchTraces; t++) {
    const traceId = id(16);
    const root = id(8);
    const start = sc.now - 6 * 3600_000 + ((sent / perTrace + t) % 20_000) * 1000;
    const service = `load-${t % 5}`;
    spans.push({
      service,
      traceId,
      spanId: root,
      name: `GET /items/${t % 20}`,
      kind: 2,
      startMs: start,
      durationMs: 20 + (t % 50),
    });
    for (let s = 1; s < perTrace; s++)
      spans.push({
        service: `load-${(t + s) % 5}`,
        traceId,
        spanId: id(8),
        parentSpanId: root,
        name: `step ${s}`,
        startMs: start + s,
        durationMs: 1 + s,
        attributes: { 'load.index': s },
      });
  }
  await postOtlp(viewer.httpUrl, 'traces', tracesRequest(spans));
}
const ingestSeconds = (performance.now() - ingestStart) / 1000;
await ingestAfter(viewer.httpUrl, sc);
console.log(
  `stored ${backgroundSpans} background spans in ${ingestSeconds.toFixed(1)} s (OTLP/JSON posts), plus the scenario`,
);

const { context, dir } = await launchBrowser();
const page = await context.newPage();
const firstLoad: number[] = [];
const traceDirect: number[] = [];
const traceInApp: number[] = [];
const traceApi: number[] = [];
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  await page.goto(`${viewer.httpUrl}/traces?service=bulk`);
  await page.waitForSelector('table.results tbody tr');
  firstLoad.push(performance.now() - t);

  t = performance.now();
  await page.locator(`tr[data-trace-id="${sc.bigTraceId}"] a.trace-link`).click();
  await page.waitForSelector('.span-row');
  traceInApp.push(performance.now() - t);

  t = performance.now();
  await page.goto(`${viewer.httpUrl}/traces/${sc.bigTraceId}`);
  await page.waitForSelector('.span-row');
  traceDirect.push(performance.now() - t);

  t = performance.now();
  await (await fetch(`${viewer.httpUrl}/api/traces/${sc.bigTraceId}`)).arrayBuffer();
  traceApi.push(performance.now() - t);
}
await context.close();
await viewer.close();
rmSync(dir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });

const result = {
  benchmark: 'ui-load',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  storedSpans: backgroundSpans + sc.bigSpanCount + 100,
  rounds,
  medianMs: {
    firstLoadTracesPage: Number(median(firstLoad).toFixed(1)),
    traceDetail5000InApp: Number(median(traceInApp).toFixed(1)),
    traceDetail5000DirectLoad: Number(median(traceDirect).toFixed(1)),
    traceDetail5000ApiOnly: Number(median(traceApi).toFixed(1)),
  },
  samplesMs: { firstLoad, traceInApp, traceDirect, traceApi },
};
const out = resolve(import.meta.dirname, '../../../../../bench/results/ui-load.json');
mkdirSync(resolve(out, '..'), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.table(result.medianMs);
console.log(`wrote ${out}`);
