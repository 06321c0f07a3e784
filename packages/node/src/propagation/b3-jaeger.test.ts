import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Context,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { PropagatorName } from '../config/options.js';
import { init } from '../lifecycle/init.js';
import { getBaggage, setBaggage } from './baggage.js';
import { extract, inject } from './inject-extract.js';

const TRACE_ID = '463ac35c9f6413ad48485a3953bb6124';
const SPAN_ID = 'a2fb4a1d1a96d312';
const SAMPLED: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED };

/** Runs `fn` with only `propagators` registered by init(), then shuts down. */
async function withPropagators(propagators: PropagatorName[], fn: () => void): Promise<void> {
  const sightline = init({
    propagators,
    traces: { exporters: ['none'] },
    metrics: { exporters: ['none'] },
    logs: { exporters: ['none'] },
    shutdown: { handleSignals: false },
  });
  try {
    fn();
  } finally {
    await sightline.shutdown();
  }
}

function remote(context: Context): SpanContext | undefined {
  return trace.getSpanContext(context);
}

const source = (): Context =>
  setBaggage({ tenant: 'acme' }, trace.setSpanContext(ROOT_CONTEXT, SAMPLED));

describe('B3 and Jaeger selected through init({ propagators })', () => {
  it('b3 injects the single header and extracts it, and multi headers too', () =>
    withPropagators(['b3'], () => {
      const headers = inject({}, source());
      assert.deepEqual(headers, { b3: `${TRACE_ID}-${SPAN_ID}-1` }, 'no W3C headers, no baggage');
      const unsampled = inject(
        {},
        trace.setSpanContext(ROOT_CONTEXT, { ...SAMPLED, traceFlags: 0 }),
      );
      assert.equal(unsampled.b3, `${TRACE_ID}-${SPAN_ID}-0`);

      assert.deepEqual(remote(extract(headers, ROOT_CONTEXT)), { ...SAMPLED, isRemote: true });
      // 64-bit trace ids are left-padded to 128 bits.
      assert.equal(
        remote(extract({ B3: `48485a3953bb6124-${SPAN_ID}-1` }, ROOT_CONTEXT))?.traceId,
        `${'0'.repeat(16)}48485a3953bb6124`,
      );
      const multi = { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' };
      assert.equal(
        remote(extract(multi, ROOT_CONTEXT))?.spanId,
        SPAN_ID,
        'b3 also reads multi headers',
      );
      assert.equal(
        remote(extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }, ROOT_CONTEXT)),
        undefined,
      );
    }));

  it('b3multi injects X-B3-* headers and extracts them in any letter case', () =>
    withPropagators(['b3multi'], () => {
      const headers = inject(new Headers(), source());
      assert.deepEqual(Object.fromEntries(headers), {
        'x-b3-traceid': TRACE_ID,
        'x-b3-spanid': SPAN_ID,
        'x-b3-sampled': '1',
      });
      const sent = { 'X-B3-TraceId': TRACE_ID, 'X-B3-SpanId': SPAN_ID, 'X-B3-Sampled': '0' };
      assert.deepEqual(remote(extract(sent, ROOT_CONTEXT)), {
        ...SAMPLED,
        traceFlags: 0,
        isRemote: true,
      });
      assert.equal(
        remote(extract({ 'x-b3-traceid': TRACE_ID }, ROOT_CONTEXT)),
        undefined,
        'no span id',
      );
    }));

  it('jaeger injects uber-trace-id and uberctx- baggage, and extracts both', () =>
    withPropagators(['jaeger'], () => {
      const pairs = inject([] as Array<[string, string]>, source());
      assert.deepEqual(pairs, [
        ['uber-trace-id', `${TRACE_ID}:${SPAN_ID}:0:1`],
        ['uberctx-tenant', 'acme'],
      ]);
      const back = extract(pairs, ROOT_CONTEXT);
      assert.deepEqual(remote(back), { ...SAMPLED, isRemote: true });
      assert.equal(getBaggage('tenant', back), 'acme');
    }));

  it('several propagators inject all their headers; on extract the last one that finds a context wins', () =>
    withPropagators(['tracecontext', 'baggage', 'b3multi'], () => {
      const headers = inject({}, source());
      assert.deepEqual(Object.keys(headers).sort(), [
        'baggage',
        'traceparent',
        'x-b3-sampled',
        'x-b3-spanid',
        'x-b3-traceid',
      ]);
      const other = '1'.repeat(32);
      const mixed = {
        traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
        'x-b3-traceid': other,
        'x-b3-spanid': SPAN_ID,
      };
      assert.equal(remote(extract(mixed, ROOT_CONTEXT))?.traceId, other);
    }));
});
