import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { MAX_ERROR_TYPES, SpanHealthProcessor } from './span-health-processor.js';

function setup() {
  const health = new SpanHealthProcessor();
  const provider = new TracerProvider({
    spanProcessors: [health, new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  });
  return { health, tracer: provider.getTracer('test') };
}

describe('span health processor', () => {
  it('counts spans started and ended, so open spans show as the difference', () => {
    const { health, tracer } = setup();
    const open = tracer.startSpan('open');
    tracer.startSpan('closed').end();
    assert.equal(health.started, 2);
    assert.equal(health.ended, 1);
    open.end();
    assert.equal(health.ended, 2);
  });

  it('counts error spans by error.type, then exception.type from the exception event', () => {
    const { health, tracer } = setup();
    const http = tracer.startSpan('GET', { attributes: { 'error.type': '500' } });
    http.setStatus({ code: SpanStatusCode.ERROR });
    http.end();
    const thrown = tracer.startSpan('work');
    thrown.recordException(new TypeError('bad'));
    thrown.setStatus({ code: SpanStatusCode.ERROR });
    thrown.end();
    const bare = tracer.startSpan('bare');
    bare.setStatus({ code: SpanStatusCode.ERROR });
    bare.end();
    tracer.startSpan('fine').end();
    assert.deepEqual(Object.fromEntries(health.errors), { '500': 1, TypeError: 1, _OTHER: 1 });
  });

  it(`keeps at most ${MAX_ERROR_TYPES} error types, folding the rest into _OTHER`, () => {
    const { health, tracer } = setup();
    for (let i = 0; i < MAX_ERROR_TYPES + 50; i++) {
      const span = tracer.startSpan('e', { attributes: { 'error.type': `E${i}` } });
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    assert.equal(health.errors.size, MAX_ERROR_TYPES + 1);
    assert.equal(health.errors.get('_OTHER'), 50);
  });
});
