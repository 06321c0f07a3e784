import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { JaegerPropagator } from './jaeger-propagator.js';

const propagator = new JaegerPropagator();

describe('Jaeger propagation', () => {
  it('extracts a sampled remote parent and uberctx baggage', () => {
    const carrier = {
      'uber-trace-id': 'abc123:def456:0:1',
      'uberctx-tenant': 'acme%20corp',
    };
    const context = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    const span = trace.getSpanContext(context);
    assert.equal(span?.traceId, '00000000000000000000000000abc123');
    assert.equal(span?.spanId, '0000000000def456');
    assert.equal(span?.traceFlags, TraceFlags.SAMPLED);
    assert.equal(span?.isRemote, true);
    assert.equal(propagation.getBaggage(context)?.getEntry('tenant')?.value, 'acme corp');
  });

  it('accepts a URL-encoded header', () => {
    const context = propagator.extract(
      ROOT_CONTEXT,
      { 'uber-trace-id': '1%3A2%3A0%3A0' },
      defaultTextMapGetter,
    );
    assert.equal(trace.getSpanContext(context)?.spanId, '0000000000000002');
    assert.equal(trace.getSpanContext(context)?.traceFlags, TraceFlags.NONE);
  });

  it('ignores malformed and all-zero ids', () => {
    for (const header of ['zz:1:0:1', '1:2:0', '0:0:0:1', '1:2:0:1:extra']) {
      const context = propagator.extract(
        ROOT_CONTEXT,
        { 'uber-trace-id': header },
        defaultTextMapGetter,
      );
      assert.equal(trace.getSpanContext(context), undefined, header);
    }
  });

  it('injects what it extracts', () => {
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    let context = trace.setSpanContext(ROOT_CONTEXT, spanContext);
    context = propagation.setBaggage(
      context,
      propagation.createBaggage({ user: { value: 'a b' } }),
    );
    const carrier: Record<string, string> = {};
    propagator.inject(context, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, {
      'uber-trace-id': `${spanContext.traceId}:${spanContext.spanId}:0:1`,
      'uberctx-user': 'a%20b',
    });
    const back = trace.getSpanContext(
      propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter),
    );
    assert.equal(back?.traceId, spanContext.traceId);
    assert.equal(back?.spanId, spanContext.spanId);
  });
});
