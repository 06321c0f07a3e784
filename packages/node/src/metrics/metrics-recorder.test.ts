import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { context, metrics, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { SightlineError } from '../errors.js';
import { createMetricsRecorder } from './metrics-recorder.js';

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  async points(name: string): Promise<DataPoint<unknown>[]> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[]);
  }
}

function register(): CollectingReader {
  const reader = new CollectingReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return reader;
}

afterEach(() => {
  metrics.disable();
  propagation.disable();
  context.disable();
});

describe('metrics recorder', () => {
  it('puts the component and the common attributes on every measurement', async () => {
    const reader = register();
    const recorder = createMetricsRecorder({
      component: 'checkout',
      attributes: { 'deployment.environment.name': 'test' },
    });
    const orders = recorder.counter('checkout.orders', { unit: '{order}' });
    orders.add(2, { 'payment.method': 'card' });
    orders.add(1);
    recorder.histogram('checkout.duration', { unit: 's' }).record(0.25);
    const points = await reader.points('checkout.orders');
    assert.deepEqual(
      points.map((p) => [p.attributes, p.value]),
      [
        [
          {
            'deployment.environment.name': 'test',
            'sightline.component': 'checkout',
            'payment.method': 'card',
          },
          2,
        ],
        [{ 'deployment.environment.name': 'test', 'sightline.component': 'checkout' }, 1],
      ],
    );
    const [histogram] = await reader.points('checkout.duration');
    assert.equal((histogram?.value as { count: number }).count, 1);
    assert.equal(histogram?.attributes['sightline.component'], 'checkout');
  });

  it('copies only the allow-listed baggage entries of the active context', async () => {
    const reader = register();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CBaggagePropagator());
    const recorder = createMetricsRecorder({ baggageKeys: ['tenant'] });
    const gauge = recorder.gauge('queue.depth');
    const baggage = propagation.createBaggage({
      tenant: { value: 'acme' },
      'user.email': { value: 'someone@example.com' },
    });
    context.with(propagation.setBaggage(context.active(), baggage), () => gauge.record(7));
    gauge.record(3);
    const points = await reader.points('queue.depth');
    assert.deepEqual(
      points.map((p) => [p.attributes, p.value]),
      [
        [{ 'baggage.tenant': 'acme' }, 7],
        [{}, 3],
      ],
    );
  });

  it('records through an SDK registered after the instruments were made', async () => {
    const recorder = createMetricsRecorder({ component: 'early' });
    const counter = recorder.upDownCounter('early.items');
    counter.add(5); // no SDK yet: a no-op, not an error
    const reader = register();
    counter.add(-2);
    const points = await reader.points('early.items');
    assert.deepEqual(
      points.map((p) => p.value),
      [-2],
    );
  });

  it('rejects invalid options, naming them', () => {
    const cases: Array<[object, RegExp]> = [
      [{ component: '' }, /createMetricsRecorder\.component/],
      [{ baggageKeys: 'tenant' }, /createMetricsRecorder\.baggageKeys/],
      [{ attributes: [1] }, /createMetricsRecorder\.attributes/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => createMetricsRecorder(options as never),
        (error: unknown) =>
          error instanceof SightlineError &&
          error.code === 'SIGHTLINE_ERR_INVALID_OPTION' &&
          message.test(error.message),
      );
    }
  });
});
