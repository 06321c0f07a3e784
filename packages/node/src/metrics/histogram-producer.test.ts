import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { ExplicitHistogram, MAX_HISTOGRAM_POINTS } from './explicit-histogram.js';
import { HistogramProducer, HistogramRegistry, histogramRegistryOf } from './histogram-producer.js';
import { withRegistryHistograms } from './registry-meter-provider.js';

const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const DESCRIPTOR = {
  name: 'test.duration',
  description: 'A duration.',
  unit: 's',
  boundaries: BOUNDARIES,
};
const SCOPE = { name: 'test-scope', version: '1.2.3' };

/** Values on, below and above every boundary, plus zero and a large one. */
function values(): number[] {
  const out = [0, 100];
  for (const b of BOUNDARIES) out.push(b, b * 0.999, b * 1.001);
  for (let i = 0; i < 500; i++) out.push(((i * 7919) % 1000) / 97);
  return out;
}

async function collect(producer: HistogramProducer): Promise<HistogramMetricData | undefined> {
  const { resourceMetrics } = await producer.collect();
  return resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData | undefined;
}

/** What the SDK's own histogram makes of the same values. */
async function sdkHistogram(recorded: number[]) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const histogram = provider
    .getMeter('sdk')
    .createHistogram('sdk.duration', { advice: { explicitBucketBoundaries: BOUNDARIES } });
  for (const value of recorded) histogram.record(value, { route: '/a' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const data = resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData;
  return data.dataPoints[0]?.value;
}

/** A MeterProvider whose one reader also collects a fresh registry, attached to it. */
function setup() {
  const registry = new HistogramRegistry();
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 60_000,
    metricProducers: [new HistogramProducer(registry, AggregationTemporality.CUMULATIVE)],
  });
  const provider = new MeterProvider({ readers: [reader] });
  registry.attachTo(provider);
  const collect = async () => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((s) =>
      s.metrics.map((m) => ({ scope: s.scope, metric: m })),
    );
  };
  return { registry, provider, collect };
}

describe('explicit-bucket histogram on the hot path', () => {
  it('counts buckets, sum, min and max as the SDK histogram does', async () => {
    const registry = new HistogramRegistry();
    const histogram = registry.histogram(SCOPE, DESCRIPTOR);
    const point = histogram.bind('/a', { route: '/a' });
    const recorded = values();
    for (const value of recorded) point.record(value);
    const data = await collect(new HistogramProducer(registry, AggregationTemporality.CUMULATIVE));
    const mine = data?.dataPoints[0]?.value;
    const sdk = await sdkHistogram(recorded);
    assert.deepEqual(mine?.buckets, sdk?.buckets);
    assert.equal(mine?.count, sdk?.count);
    assert.ok(Math.abs((mine?.sum ?? 0) - (sdk?.sum ?? 0)) < 1e-9);
    assert.equal(mine?.min, sdk?.min);
    assert.equal(mine?.max, sdk?.max);
  });

  it('refuses NaN and negative values, as the SDK does', async () => {
    const histogram = new ExplicitHistogram(DESCRIPTOR);
    const point = histogram.bind('k', {});
    point.record(Number.NaN);
    point.record(-1);
    point.record(0.2);
    assert.equal(point.count, 1);
    assert.equal(point.sum, 0.2);
  });

  it('finds a point by its key and keeps the attributes it was bound with', () => {
    const histogram = new ExplicitHistogram(DESCRIPTOR);
    assert.equal(histogram.point('GET 200'), undefined);
    const bound = histogram.bind('GET 200', { method: 'GET', status: 200 });
    assert.equal(histogram.point('GET 200'), bound);
    assert.deepEqual(bound.attributes, { method: 'GET', status: 200 });
  });

  it('folds attribute sets past the limit into one overflow point', async () => {
    const registry = new HistogramRegistry();
    const histogram = registry.histogram(SCOPE, DESCRIPTOR);
    for (let i = 0; i < MAX_HISTOGRAM_POINTS + 10; i++) {
      histogram.bind(`k${i}`, { i }).record(0.001);
    }
    const data = await collect(new HistogramProducer(registry, AggregationTemporality.CUMULATIVE));
    assert.equal(data?.dataPoints.length, MAX_HISTOGRAM_POINTS + 1);
    const overflow = data?.dataPoints.at(-1);
    assert.deepEqual(overflow?.attributes, { 'otel.metric.overflow': true });
    assert.equal(overflow?.value.count, 10);
  });
});

describe('histogram producer', () => {
  it('reports cumulative totals, with the descriptor and scope', async () => {
    const registry = new HistogramRegistry();
    const point = registry.histogram(SCOPE, DESCRIPTOR).bind('a', { a: 1 });
    const producer = new HistogramProducer(registry, AggregationTemporality.CUMULATIVE);
    assert.equal((await producer.collect()).resourceMetrics.scopeMetrics.length, 0);
    point.record(0.02);
    point.record(0.3);
    const first = await collect(producer);
    point.record(4);
    const { resourceMetrics } = await producer.collect();
    const second = resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData;
    assert.deepEqual(resourceMetrics.scopeMetrics[0]?.scope, SCOPE);
    assert.equal(second.descriptor.name, 'test.duration');
    assert.equal(second.descriptor.unit, 's');
    assert.equal(second.dataPointType, DataPointType.HISTOGRAM);
    assert.equal(second.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.equal(first?.dataPoints[0]?.value.count, 2);
    assert.equal(second.dataPoints[0]?.value.count, 3);
    assert.equal(second.dataPoints[0]?.value.max, 4);
    assert.deepEqual(second.dataPoints[0]?.startTime, first?.dataPoints[0]?.startTime);
  });

  it('reports deltas per reader, with each interval’s min and max, and only the points that changed', async () => {
    const registry = new HistogramRegistry();
    // The readers come first, as in init(): every point then has their min/max slots.
    const one = new HistogramProducer(registry, AggregationTemporality.DELTA);
    const other = new HistogramProducer(registry, AggregationTemporality.DELTA);
    const histogram = registry.histogram(SCOPE, DESCRIPTOR);
    const a = histogram.bind('a', { a: 1 });
    const b = histogram.bind('b', { b: 1 });
    a.record(0.02);
    a.record(0.02);
    b.record(3);
    const first = await collect(one);
    assert.equal(first?.aggregationTemporality, AggregationTemporality.DELTA);
    assert.equal(first?.dataPoints[0]?.value.min, 0.02);
    assert.equal(first?.dataPoints[0]?.value.max, 0.02);
    assert.deepEqual(
      first?.dataPoints.map((p) => p.value.count),
      [2, 1],
    );
    a.record(0.6);
    const second = await collect(one);
    assert.equal(second?.dataPoints.length, 1, 'b did not change');
    const delta = second?.dataPoints[0];
    assert.deepEqual(delta?.attributes, { a: 1 });
    assert.equal(delta?.value.count, 1);
    assert.equal(delta?.value.min, 0.6, 'the interval’s own min');
    assert.equal(delta?.value.max, 0.6);
    assert.ok(Math.abs((delta?.value.sum ?? 0) - 0.6) < 1e-12);
    assert.equal(
      delta?.value.buckets.counts.reduce((x, y) => x + y, 0),
      1,
    );
    assert.deepEqual(delta?.startTime, first?.dataPoints[0]?.endTime);
    // Another reader has its own interval: it sees everything so far.
    const others = await collect(other);
    assert.deepEqual(
      others?.dataPoints.map((p) => p.value.count),
      [3, 1],
    );
    assert.deepEqual(
      [others?.dataPoints[0]?.value.min, others?.dataPoints[0]?.value.max],
      [0.02, 0.6],
    );
    assert.equal(await collect(one), undefined, 'nothing new');
  });

  it('is collected by a metric reader along with the SDK metrics', async () => {
    const { registry, provider, collect } = setup();
    assert.equal(histogramRegistryOf(provider), registry);
    assert.equal(histogramRegistryOf(new MeterProvider()), undefined);
    provider.getMeter('sdk').createCounter('sdk.count').add(1);
    registry.histogram(SCOPE, DESCRIPTOR).bind('a', { a: 1 }).record(0.5);
    const names = (await collect()).map((e) => e.metric.descriptor.name);
    assert.deepEqual(names.sort(), ['sdk.count', 'test.duration']);
    await provider.shutdown();
  });
});

describe('instrumentations’ histograms through withRegistryHistograms', () => {
  it('aggregates them in the registry: one point per attribute set, whatever the key order', async () => {
    const { provider, collect } = setup();
    const meter = withRegistryHistograms(provider).getMeter('contrib', '0.1.0');
    const histogram = meter.createHistogram('db.client.operation.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.001, 0.01, 0.1] },
    });
    histogram.record(0.005, { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' });
    histogram.record(0.05, { 'db.operation.name': 'SELECT', 'db.system.name': 'postgresql' });
    histogram.record(0.5, {
      'db.operation.name': 'SELECT',
      'db.system.name': 'postgresql',
      x: undefined,
    });
    histogram.record(0.5, { 'db.operation.name': 'INSERT', 'db.system.name': 'postgresql', n: 1 });
    histogram.record(0.5, {
      'db.operation.name': 'INSERT',
      'db.system.name': 'postgresql',
      n: '1',
    });
    // Values holding what a naive key would use as separators still make their own sets.
    // (`k=a` `l=b` against one `k` holding "a␂l␁sb": the same text under name␁type value␂ parts.)
    histogram.record(0.5, { k: 'a\u0002l\u0001sb' });
    histogram.record(0.5, { k: 'a', l: 'b' });
    const [entry] = await collect();
    assert.deepEqual(entry?.scope, { name: 'contrib', version: '0.1.0', schemaUrl: undefined });
    const data = entry?.metric as HistogramMetricData;
    assert.equal(data.descriptor.name, 'db.client.operation.duration');
    assert.equal(data.dataPoints.length, 5, 'n: 1 and n: "1" differ, and so do the two k/l sets');
    const select = data.dataPoints.find((p) => p.attributes['db.operation.name'] === 'SELECT');
    assert.deepEqual(select?.attributes, {
      'db.operation.name': 'SELECT',
      'db.system.name': 'postgresql',
    });
    assert.deepEqual(select?.value.buckets, {
      boundaries: [0.001, 0.01, 0.1],
      counts: [0, 1, 1, 1],
    });
    await provider.shutdown();
  });

  it('keeps the other instruments the SDK’s, truncates INT histograms, leaves other providers alone', async () => {
    const { provider, collect } = setup();
    const meter = withRegistryHistograms(provider).getMeter('contrib');
    meter.createCounter('calls').add(2);
    meter.createHistogram('sizes', { valueType: ValueType.INT }).record(7.9);
    const byName = new Map((await collect()).map((e) => [e.metric.descriptor.name, e.metric]));
    assert.equal(byName.get('calls')?.dataPoints[0]?.value, 2);
    assert.equal((byName.get('sizes') as HistogramMetricData).dataPoints[0]?.value.sum, 7);
    const plain = new MeterProvider();
    assert.equal(withRegistryHistograms(plain), plain);
    await provider.shutdown();
  });

  it('finds recent sets by value: more sets than it remembers, reordered, undefined, arrays changed in place', async () => {
    const { provider, collect } = setup();
    const histogram = withRegistryHistograms(provider).getMeter('contrib').createHistogram('h');
    const sdkReader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 60_000,
    });
    const sdkProvider = new MeterProvider({ readers: [sdkReader] });
    const reference = sdkProvider.getMeter('sdk').createHistogram('h');
    const tags = ['a'];
    const sets = (i: number) => [
      { op: `op${i % 6}`, port: 5432 },
      { port: 5432, op: `op${i % 6}` },
      { op: 'SELECT', port: 5432, error: undefined },
      { op: 'SELECT', port: '5432' },
      { tags },
    ];
    for (let i = 0; i < 120; i++) {
      for (const attributes of sets(i)) {
        histogram.record(i, attributes);
        reference.record(i, attributes);
      }
      if (i === 60) tags.push('b');
    }
    const [entry] = await collect();
    const ours = (entry?.metric as HistogramMetricData).dataPoints;
    const { resourceMetrics } = await sdkReader.collect();
    const theirs = (resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData).dataPoints;
    // The SDK keeps a key set to undefined; the registry leaves it out (see the test above).
    const summary = (points: typeof ours) =>
      points
        .map((p) => {
          const defined = Object.entries(p.attributes).filter(([, v]) => v !== undefined);
          return `${JSON.stringify(defined.sort())} ${p.value.count} ${p.value.sum}`;
        })
        .sort();
    assert.equal(ours.length, 10, 'op0..op5 (either order), SELECT, SELECT "5432", two tag lists');
    assert.deepEqual(summary(ours), summary(theirs));
    await Promise.all([provider.shutdown(), sdkProvider.shutdown()]);
  });

  it('gives the same point again when a histogram is made twice (an instrumentation re-enabled)', async () => {
    const { provider, collect } = setup();
    const wrapped = withRegistryHistograms(provider);
    wrapped.getMeter('contrib').createHistogram('h').record(1, { a: 1 });
    wrapped.getMeter('contrib').createHistogram('h').record(1, { a: 1 });
    const [entry] = await collect();
    const data = entry?.metric as HistogramMetricData;
    assert.equal(data.dataPoints.length, 1);
    assert.equal(data.dataPoints[0]?.value.count, 2);
    await provider.shutdown();
  });
});
