import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, propagation } from '@opentelemetry/api';
import { init, withSpan } from '../src/index.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';

describe('traces.baggageAttributes', () => {
  it('copies only the allow-listed baggage keys onto spans', async () => {
    const receiver = await startOtlpReceiver();
    const sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { baggageAttributes: ['tenant', 'user.id'], batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    try {
      // As if extracted from an incoming request: the caller controls every entry.
      const baggage = propagation.createBaggage({
        tenant: { value: 'acme' },
        'user.id': { value: 'u-7' },
        'session.token': { value: 'secret' },
      });
      context.with(propagation.setBaggage(context.active(), baggage), () =>
        withSpan('with baggage', () => {}),
      );
      withSpan('without baggage', () => {});
      await sightline.flush();
      const spans = await receiver.waitFor(() => receiver.spans.length >= 2 && receiver.spans, {
        what: 'two spans',
      });
      assert.deepEqual(spans.find((s) => s.name === 'with baggage')?.attributes, {
        'baggage.tenant': 'acme',
        'baggage.user.id': 'u-7',
      });
      assert.deepEqual(spans.find((s) => s.name === 'without baggage')?.attributes, {});
    } finally {
      await sightline.shutdown();
      await receiver.stop();
    }
  });
});
