/**
 * The known telemetry the UI tests and screenshots look at: a checkout trace across four services
 * with an error, a linked trace, an XSS trace, a 5,000-span trace, logs tied to spans, runtime
 * memory, leak and arena metrics, and two runs ("before" and "after") to compare.
 */
import { randomBytes } from 'node:crypto';
import {
  type LogSpec,
  logsRequest,
  type MetricSpec,
  metricsRequest,
  postOtlp,
  type SpanSpec,
  tracesRequest,
} from './otlp-json.js';

export const XSS = '<img src=x onerror=alert(1)>';
export const XSS_ATTR = '<script>alert(2)</script>';
export const XSS_LOG = '<img src=x onerror=alert(3)>';
export const XSS_SERVICE = '<svg/onload=alert(5)>';
export const XSS_METRIC_ATTR = '<img src=x onerror=alert(4)>';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface Scenario {
  now: number;
  checkoutTraceId: string;
  inventoryTraceId: string;
  xssTraceId: string;
  bigTraceId: string;
  paySpanId: string;
  chargeSpanId: string;
  syncSpanId: string;
  bigSpanCount: number;
  productTraceCount: number;
}

export function makeScenario(now = Date.now()): Scenario {
  return {
    now,
    checkoutTraceId: hex(16),
    inventoryTraceId: hex(16),
    xssTraceId: hex(16),
    bigTraceId: hex(16),
    paySpanId: hex(8),
    chargeSpanId: hex(8),
    syncSpanId: hex(8),
    bigSpanCount: 5000,
    productTraceCount: 12,
  };
}

/** Run "before": POST /pay fast and healthy. */
export async function ingestBefore(url: string, sc: Scenario): Promise<void> {
  const spans: SpanSpec[] = [];
  for (let i = 0; i < 30; i++) {
    const traceId = hex(16);
    spans.push({
      service: 'payments',
      traceId,
      spanId: hex(8),
      name: 'POST /pay',
      kind: 2,
      startMs: sc.now - 30 * 60_000 + i * 1000,
      durationMs: 18 + (i % 5),
    });
  }
  await postOtlp(url, 'traces', tracesRequest(spans));
}

/** Run "after": everything the pages show. */
export async function ingestAfter(url: string, sc: Scenario): Promise<void> {
  const t0 = sc.now - 10 * 60_000;
  const a = { root: hex(8), client: hex(8), cart: hex(8), db: hex(8) };
  const checkout: SpanSpec[] = [
    {
      service: 'frontend',
      traceId: sc.checkoutTraceId,
      spanId: a.root,
      name: 'GET /checkout',
      kind: 2,
      startMs: t0,
      durationMs: 120,
      attributes: { 'http.route': '/checkout', 'http.request.method': 'GET' },
    },
    {
      service: 'frontend',
      traceId: sc.checkoutTraceId,
      spanId: a.client,
      parentSpanId: a.root,
      name: 'POST checkout',
      kind: 3,
      startMs: t0 + 5,
      durationMs: 110,
    },
    {
      service: 'checkout',
      traceId: sc.checkoutTraceId,
      spanId: a.cart,
      parentSpanId: a.client,
      name: 'POST /cart/checkout',
      kind: 2,
      startMs: t0 + 8,
      durationMs: 104,
      attributes: { 'user.tier': 'gold' },
    },
    {
      service: 'checkout',
      traceId: sc.checkoutTraceId,
      spanId: a.db,
      parentSpanId: a.cart,
      name: 'SELECT cart',
      kind: 3,
      startMs: t0 + 10,
      durationMs: 20,
      attributes: {
        'db.system': 'postgresql',
        'db.query.text': 'SELECT * FROM cart WHERE id = $1',
      },
    },
    {
      service: 'payments',
      traceId: sc.checkoutTraceId,
      spanId: sc.paySpanId,
      parentSpanId: a.cart,
      name: 'POST /pay',
      kind: 2,
      startMs: t0 + 35,
      durationMs: 75,
      error: 'card declined',
      attributes: { 'payment.method': 'card' },
      events: [
        {
          name: 'exception',
          atMs: t0 + 100,
          attributes: { 'exception.type': 'CardDeclined', 'exception.message': 'card declined' },
        },
      ],
    },
    {
      service: 'payments',
      traceId: sc.checkoutTraceId,
      spanId: sc.chargeSpanId,
      parentSpanId: sc.paySpanId,
      name: 'charge card',
      kind: 1,
      startMs: t0 + 40,
      durationMs: 65,
      links: [
        {
          traceId: sc.inventoryTraceId,
          spanId: sc.syncSpanId,
          attributes: { 'link.reason': 'stock reservation' },
        },
      ],
    },
  ];
  const inventory: SpanSpec[] = [
    {
      service: 'inventory',
      traceId: sc.inventoryTraceId,
      spanId: sc.syncSpanId,
      name: 'sync stock',
      startMs: t0 + 200,
      durationMs: 40,
    },
    {
      service: 'inventory',
      traceId: sc.inventoryTraceId,
      spanId: hex(8),
      parentSpanId: sc.syncSpanId,
      name: 'UPDATE stock',
      kind: 3,
      startMs: t0 + 205,
      durationMs: 30,
    },
  ];
  const xssRoot = hex(8);
  const xss: SpanSpec[] = [
    {
      service: 'frontend',
      traceId: sc.xssTraceId,
      spanId: xssRoot,
      name: XSS,
      kind: 2,
      startMs: t0 + 60_000,
      durationMs: 12,
      attributes: { payload: XSS_ATTR, [XSS]: 'key too' },
      events: [{ name: '<b>bold</b>', atMs: t0 + 60_005 }],
    },
    {
      service: XSS_SERVICE,
      traceId: sc.xssTraceId,
      spanId: hex(8),
      parentSpanId: xssRoot,
      name: 'child of xss',
      kind: 2,
      startMs: t0 + 60_002,
      durationMs: 5,
    },
  ];
  const products: SpanSpec[] = [];
  for (let i = 0; i < sc.productTraceCount; i++) {
    const traceId = hex(16);
    const root = hex(8);
    const start = t0 + 120_000 + i * 20_000;
    const slow = i % 4 === 3;
    products.push(
      {
        service: 'frontend',
        traceId,
        spanId: root,
        name: 'GET /products',
        kind: 2,
        startMs: start,
        durationMs: slow ? 240 : 30 + i,
        error: i % 6 === 5 ? 'upstream timeout' : undefined,
      },
      {
        service: 'catalog',
        traceId,
        spanId: hex(8),
        parentSpanId: root,
        name: 'list products',
        kind: 2,
        startMs: start + 3,
        durationMs: slow ? 230 : 20 + i,
      },
    );
    products.push({
      service: 'payments',
      traceId: hex(16),
      spanId: hex(8),
      name: 'POST /pay',
      kind: 2,
      startMs: start + 1000,
      durationMs: 35 + i * 2,
    });
  }
  // 5,000 spans: a root, 49 stages, each stage with ~101 steps.
  const big: SpanSpec[] = [];
  const bigRoot = hex(8);
  const bigStart = t0 + 400_000;
  big.push({
    service: 'bulk',
    traceId: sc.bigTraceId,
    spanId: bigRoot,
    name: 'batch import',
    startMs: bigStart,
    durationMs: 5000,
  });
  const stages: string[] = [];
  for (let s = 0; s < 49; s++) {
    const id = hex(8);
    stages.push(id);
    big.push({
      service: s % 2 ? 'bulk' : 'bulk-worker',
      traceId: sc.bigTraceId,
      spanId: id,
      parentSpanId: bigRoot,
      name: `stage ${s}`,
      startMs: bigStart + s * 100,
      durationMs: 100,
    });
  }
  for (let i = big.length; i < sc.bigSpanCount; i++) {
    const s = i % 49;
    big.push({
      service: 'bulk-worker',
      traceId: sc.bigTraceId,
      spanId: hex(8),
      parentSpanId: stages[s],
      name: i === 4321 ? 'step 4321' : `step ${i % 40}`,
      startMs: bigStart + s * 100 + (i % 97),
      durationMs: 1 + (i % 3),
      ...(i === 4321 ? { error: 'row rejected' } : {}),
    });
  }
  await postOtlp(url, 'traces', tracesRequest([...checkout, ...inventory, ...xss, ...products]));
  await postOtlp(url, 'traces', tracesRequest(big));

  const logs: LogSpec[] = [
    {
      service: 'checkout',
      timeMs: t0 + 15,
      severityNumber: 9,
      severityText: 'INFO',
      body: 'cart loaded',
      traceId: sc.checkoutTraceId,
      spanId: a.db,
      attributes: { 'cart.items': 3 },
    },
    {
      service: 'payments',
      timeMs: t0 + 101,
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'payment failed: card declined',
      traceId: sc.checkoutTraceId,
      spanId: sc.paySpanId,
    },
    {
      service: 'frontend',
      timeMs: t0 + 130_000,
      severityNumber: 13,
      severityText: 'WARN',
      body: 'slow request to catalog',
    },
    {
      service: 'frontend',
      timeMs: t0 + 60_006,
      severityNumber: 9,
      severityText: 'INFO',
      body: XSS_LOG,
      traceId: sc.xssTraceId,
      spanId: xssRoot,
    },
  ];
  await postOtlp(url, 'logs', logsRequest(logs));

  const times = Array.from({ length: 12 }, (_, i) => t0 + i * 30_000);
  const MiB = 1024 * 1024;
  const memory: MetricSpec[] = [
    {
      kind: 'gauge',
      name: 'v8js.memory.heap.used',
      unit: 'By',
      points: times.map((t, i) => ({
        tMs: t,
        value: (50 + i * 1.5) * MiB,
        attributes: { 'v8js.heap.space.name': 'old_space' },
      })),
    },
    {
      kind: 'gauge',
      name: 'process.memory.usage',
      unit: 'By',
      points: times.map((t, i) => ({ tMs: t, value: (120 + i * 2) * MiB })),
    },
    {
      kind: 'gauge',
      name: 'sightline.memory.external',
      unit: 'By',
      points: times.map((t, i) => ({ tMs: t, value: (4 + (i % 3)) * MiB })),
    },
    {
      kind: 'histogram',
      name: 'v8js.gc.duration',
      unit: 's',
      startMs: t0 - 1000,
      bounds: [0.001, 0.01, 0.1],
      points: times.map((t, i) => ({
        tMs: t,
        counts: [i * 4, i * 2, i, 0],
        sum: i * 0.05,
        attributes: { 'v8js.gc.type': 'major' },
      })),
    },
    {
      kind: 'gauge',
      name: 'sightline.memory.leak.severity',
      unit: '1',
      points: times.map((t, i) => ({ tMs: t, value: i < 8 ? 0 : 3 })),
    },
    {
      kind: 'gauge',
      name: 'sightline.memory.leak.growth_rate',
      unit: 'By/h',
      points: times.map((t, i) => ({ tMs: t, value: 180 * MiB + i })),
    },
    {
      kind: 'gauge',
      name: 'sightline.arena.capacity',
      unit: 'By',
      points: times.map((t) => ({
        tMs: t,
        value: 8 * MiB,
        attributes: { 'sightline.arena.name': 'request-arena' },
      })),
    },
    {
      kind: 'gauge',
      name: 'sightline.arena.used',
      unit: 'By',
      points: times.map((t, i) => ({
        tMs: t,
        value: (2 + i * 0.4) * MiB,
        attributes: { 'sightline.arena.name': 'request-arena' },
      })),
    },
    {
      kind: 'gauge',
      name: 'sightline.arena.fragmentation',
      unit: '1',
      points: times.map((t, i) => ({
        tMs: t,
        value: 0.1 + i * 0.01,
        attributes: { 'sightline.arena.name': 'request-arena' },
      })),
    },
    {
      kind: 'sum',
      name: 'checkout.orders',
      unit: '{order}',
      startMs: t0 - 1000,
      points: times.map((t, i) => ({
        tMs: t,
        value: i * 30,
        attributes: { 'payment.method': 'card' },
      })),
    },
    {
      kind: 'histogram',
      name: 'http.server.request.duration',
      unit: 's',
      startMs: t0 - 1000,
      bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      points: times.map((t, i) => ({
        tMs: t,
        counts: [i, i * 3, i * 8, i * 5, i * 2, i, 0, 0, 0],
        sum: i * 0.6,
        attributes: { 'http.route': '/checkout' },
      })),
    },
  ];
  await postOtlp(
    url,
    'metrics',
    metricsRequest('checkout', memory, { 'service.instance.id': 'inst-1' }),
  );
  const xssGauge: MetricSpec = {
    kind: 'gauge',
    name: 'xss.gauge',
    unit: '1',
    points: times.map((t, i) => ({ tMs: t, value: i, attributes: { label: XSS_METRIC_ATTR } })),
  };
  await postOtlp(url, 'metrics', metricsRequest(XSS_SERVICE, [xssGauge]));
  // A second instance of checkout, heap only.
  const heap2: MetricSpec = {
    kind: 'gauge',
    name: 'v8js.memory.heap.used',
    unit: 'By',
    points: times.map((t, i) => ({
      tMs: t,
      value: (30 + (i % 2)) * MiB,
      attributes: { 'v8js.heap.space.name': 'old_space' },
    })),
  };
  await postOtlp(
    url,
    'metrics',
    metricsRequest('checkout', [heap2], { 'service.instance.id': 'inst-2' }),
  );
}
