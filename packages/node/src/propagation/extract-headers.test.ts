import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Context,
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import type { PropagatorName } from '../config/options.js';
import { rawHeadersGetter } from '../instrumentation/http/raw-request-headers.js';
import { createPropagator } from './create-propagator.js';
import { HeaderListPropagator } from './extract-headers.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

/** `rawHeadersGetter`, counting the header values it is asked for. */
function countingRawGetter() {
  const counted = { gets: 0 };
  const getter: typeof rawHeadersGetter = {
    ...rawHeadersGetter,
    get(raw, key) {
      counted.gets++;
      return rawHeadersGetter.get(raw, key);
    },
  };
  return { getter, counted };
}

/** What the propagators for `names` extract, as the ids and baggage entries found. */
function extracted(
  names: PropagatorName[],
  raw: string[],
  getter: TextMapGetter = rawHeadersGetter,
) {
  const context: Context = createPropagator(names).extract(ROOT_CONTEXT, raw, getter);
  const span = trace.getSpanContext(context);
  return {
    context,
    traceId: span?.traceId,
    spanId: span?.spanId,
    baggage: Object.fromEntries(
      (propagation.getBaggage(context)?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]),
    ),
  };
}

describe('propagators that declare the headers they extract', () => {
  it('answer a request without any of their headers with the context unchanged, reading nothing', () => {
    const { getter, counted } = countingRawGetter();
    const raw = ['Host', '127.0.0.1:8080', 'User-Agent', 'curl/8', 'Accept', '*/*'];
    for (const names of [
      ['tracecontext', 'baggage'],
      ['b3multi'],
      ['tracecontext', 'b3'],
      ['none'],
    ] as PropagatorName[][]) {
      const propagator = createPropagator(names);
      assert.ok(propagator instanceof HeaderListPropagator, names.join(','));
      assert.equal(propagator.extract(ROOT_CONTEXT, raw, getter), ROOT_CONTEXT);
    }
    assert.equal(counted.gets, 0);
  });

  it('extract as before when one of their headers is there, in any case', () => {
    const raw = [
      'Host',
      'example.com',
      'TraceParent',
      `00-${TRACE_ID}-${SPAN_ID}-01`,
      'BAGGAGE',
      'tenant=acme',
    ];
    const found = extracted(['tracecontext', 'baggage'], raw);
    assert.equal(found.traceId, TRACE_ID);
    assert.equal(found.spanId, SPAN_ID);
    assert.deepEqual(found.baggage, { tenant: 'acme' });
    // Baggage alone is read too.
    assert.deepEqual(extracted(['tracecontext', 'baggage'], ['baggage', 'only=1']).baggage, {
      only: '1',
    });
    const b3 = extracted(
      ['b3multi'],
      ['X-B3-TraceId', TRACE_ID, 'X-B3-SpanId', SPAN_ID, 'X-B3-Sampled', '1'],
    );
    assert.equal(b3.traceId, TRACE_ID);
    assert.equal(b3.spanId, SPAN_ID);
    // B3 extracts the single-header form whichever form it injects.
    assert.equal(extracted(['b3multi'], ['b3', `${TRACE_ID}-${SPAN_ID}-1`]).traceId, TRACE_ID);
  });

  it('leave Jaeger (baggage read by prefix) and getters that cannot tell to the full extraction', () => {
    const jaeger = createPropagator(['tracecontext', 'jaeger']);
    assert.ok(!(jaeger instanceof HeaderListPropagator));
    assert.deepEqual(extracted(['jaeger'], ['uberctx-user', 'ann']).baggage, { user: 'ann' });
    // A plain headers object through the API's default getter: extracted by the inner propagators.
    const context = createPropagator(['tracecontext']).extract(
      ROOT_CONTEXT,
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
      defaultTextMapGetter,
    );
    assert.equal(trace.getSpanContext(context)?.traceId, TRACE_ID);
  });
});
