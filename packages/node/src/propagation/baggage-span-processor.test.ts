import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { SightlineError } from '../errors.js';
import { setBaggage } from './baggage.js';
import { createBaggageSpanProcessor } from './baggage-span-processor.js';

function setup(options: Parameters<typeof createBaggageSpanProcessor>[0]) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [createBaggageSpanProcessor(options), new SimpleSpanProcessor({ exporter })],
  });
  return { exporter, tracer: provider.getTracer('test'), provider };
}

describe('baggage span processor', () => {
  it('copies only the allow-listed baggage entries onto spans', () => {
    const { exporter, tracer } = setup({ keys: ['tenant', 'user.id'] });
    const parent = setBaggage(
      { tenant: 'acme', 'user.id': '42', 'session.token': 'secret', 'http.route': '/forged' },
      ROOT_CONTEXT,
    );
    tracer.startSpan('work', {}, parent).end();
    assert.deepEqual(exporter.getFinishedSpans()[0]?.attributes, {
      'baggage.tenant': 'acme',
      'baggage.user.id': '42',
    });
  });

  it('uses the prefix given, even an empty one', () => {
    const { exporter, tracer } = setup({ keys: ['tenant'], prefix: '' });
    tracer.startSpan('work', {}, setBaggage({ tenant: 'acme' }, ROOT_CONTEXT)).end();
    assert.deepEqual(exporter.getFinishedSpans()[0]?.attributes, { tenant: 'acme' });
  });

  it('copies baggage received from upstream, and lets span attributes set later win', () => {
    const { exporter, tracer } = setup({ keys: ['tenant'] });
    const received = new W3CBaggagePropagator().extract(
      ROOT_CONTEXT,
      { baggage: 'tenant=acme%20corp,role=admin' },
      { get: (carrier: Record<string, string>, key) => carrier[key], keys: Object.keys },
    );
    const span = tracer.startSpan('server', {}, received);
    span.setAttribute('other', 1);
    span.end();
    const child = tracer.startSpan('child', {}, trace.setSpan(received, span));
    child.setAttribute('baggage.tenant', 'overridden');
    child.end();
    const [server, second] = exporter.getFinishedSpans();
    assert.deepEqual(server?.attributes, { 'baggage.tenant': 'acme corp', other: 1 });
    assert.deepEqual(second?.attributes, { 'baggage.tenant': 'overridden' });
  });

  it('adds nothing without baggage or without matching keys', () => {
    const { exporter, tracer } = setup({ keys: ['tenant'] });
    tracer.startSpan('none', {}, ROOT_CONTEXT).end();
    tracer.startSpan('other', {}, setBaggage({ region: 'eu' }, ROOT_CONTEXT)).end();
    const empty = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage());
    tracer.startSpan('empty', {}, empty).end();
    for (const span of exporter.getFinishedSpans())
      assert.deepEqual(span.attributes, {}, span.name);
  });

  it('adds nothing with an empty allow-list', () => {
    const { exporter, tracer } = setup({ keys: [] });
    tracer.startSpan('work', {}, setBaggage({ tenant: 'acme' }, ROOT_CONTEXT)).end();
    assert.deepEqual(exporter.getFinishedSpans()[0]?.attributes, {});
  });

  it('throws SIGHTLINE_ERR_INVALID_OPTION for invalid options at setup', () => {
    for (const options of [
      { keys: 'tenant' },
      { keys: ['tenant', 3] },
      { keys: [''] },
      { keys: ['tenant'], prefix: 1 },
      undefined,
    ]) {
      assert.throws(
        () =>
          createBaggageSpanProcessor(
            options as unknown as Parameters<typeof createBaggageSpanProcessor>[0],
          ),
        (error) => error instanceof SightlineError && error.code === 'SIGHTLINE_ERR_INVALID_OPTION',
        JSON.stringify(options),
      );
    }
  });

  it('flushes and shuts down as a no-op', async () => {
    const { provider } = setup({ keys: ['tenant'] });
    await provider.forceFlush();
    await provider.shutdown();
  });
});
