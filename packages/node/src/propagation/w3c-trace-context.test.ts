import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Context, ROOT_CONTEXT, type SpanContext, trace } from '@opentelemetry/api';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { withSpan } from '../spans/with-span.js';
import type { HeaderRecord } from './carriers.js';
import { extract, inject } from './inject-extract.js';

// W3C Trace Context (https://www.w3.org/TR/trace-context/) as the default propagator that init()
// registers implements it (W3CTraceContextPropagator and TraceState of @opentelemetry/core 3.1.1).
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

function parse(headers: HeaderRecord): SpanContext | undefined {
  return trace.getSpanContext(extract(headers, ROOT_CONTEXT));
}

function traceparent(header: string): SpanContext | undefined {
  return parse({ traceparent: header });
}

function tracestate(header: string | string[]): string | undefined {
  return parse({ traceparent: VALID, tracestate: header })?.traceState?.serialize();
}

/** What a service forwards when it passes `context` on without starting a span of its own. */
function reinjected(context: Context): HeaderRecord {
  return inject({}, context);
}

describe('W3C Trace Context through the propagator init() registers', () => {
  let sightline: SightlineHandle;
  before(() => {
    sightline = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
  });
  after(() => sightline.shutdown());

  describe('traceparent', () => {
    it('parses a valid header into a remote span context', () => {
      assert.deepEqual(traceparent(VALID), {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: 1,
        isRemote: true,
      });
    });

    it('rejects version ff, which the spec forbids', () => {
      assert.equal(traceparent(`ff-${TRACE_ID}-${SPAN_ID}-01`), undefined);
    });

    it('accepts a higher version and ignores the fields after the first four', () => {
      for (const header of [
        `01-${TRACE_ID}-${SPAN_ID}-01`,
        `01-${TRACE_ID}-${SPAN_ID}-01-future-fields`,
        `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`,
      ]) {
        const parsed = traceparent(header);
        assert.equal(parsed?.traceId, TRACE_ID, header);
        assert.equal(parsed?.spanId, SPAN_ID, header);
        assert.equal(parsed?.traceFlags, 1, header);
      }
    });

    it('rejects trailing fields in version 00', () => {
      assert.equal(traceparent(`${VALID}-extra`), undefined);
    });

    it('re-injects a higher version as version 00', () => {
      const context = extract({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-01-extra` }, ROOT_CONTEXT);
      assert.equal(reinjected(context).traceparent, VALID);
    });

    it('rejects uppercase hex anywhere', () => {
      for (const header of [
        `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
        `00-${TRACE_ID}-${SPAN_ID.toUpperCase()}-01`,
        `00-${TRACE_ID}-${SPAN_ID}-0A`,
        `0A-${TRACE_ID}-${SPAN_ID}-01`,
      ]) {
        assert.equal(traceparent(header), undefined, header);
      }
    });

    it('rejects an all-zero trace id and an all-zero span id', () => {
      assert.equal(traceparent(`00-${'0'.repeat(32)}-${SPAN_ID}-01`), undefined);
      assert.equal(traceparent(`00-${TRACE_ID}-${'0'.repeat(16)}-01`), undefined);
    });

    it('rejects fields of the wrong length', () => {
      for (const header of [
        `0-${TRACE_ID}-${SPAN_ID}-01`,
        `000-${TRACE_ID}-${SPAN_ID}-01`,
        `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`,
        `00-${TRACE_ID}0-${SPAN_ID}-01`,
        `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`,
        `00-${TRACE_ID}-${SPAN_ID}0-01`,
        `00-${TRACE_ID}-${SPAN_ID}-1`,
        `00-${TRACE_ID}-${SPAN_ID}-001`,
      ]) {
        assert.equal(traceparent(header), undefined, header);
      }
    });

    it('preserves the trace flags it parses, sampled or not, and unknown bits', () => {
      // 02 is the Level 2 "random" flag; 08 an undefined bit a newer tracer may set.
      for (const flags of ['00', '01', '02', '03', '08', '09']) {
        const header = `00-${TRACE_ID}-${SPAN_ID}-${flags}`;
        const context = extract({ traceparent: header }, ROOT_CONTEXT);
        assert.equal(trace.getSpanContext(context)?.traceFlags, Number.parseInt(flags, 16));
        assert.equal(reinjected(context).traceparent, header, 'forwarded as received');
      }
    });

    // Regression: the official W3CTraceContextPropagator 3.1.1 writes "0" + flags.toString(16), so
    // flags of 0x10 and above came out as three digits that the next hop rejects.
    it('forwards flags of 0x10 and above as two hex digits', () => {
      for (const flags of ['10', 'ff']) {
        const header = `00-${TRACE_ID}-${SPAN_ID}-${flags}`;
        const forwarded = reinjected(extract({ traceparent: header }, ROOT_CONTEXT)).traceparent;
        assert.equal(forwarded, header);
        assert.equal(
          traceparent(String(forwarded))?.traceId,
          TRACE_ID,
          'the next hop keeps the context',
        );
      }
    });

    it('takes the first of several traceparent values', () => {
      assert.equal(
        parse({ traceparent: [VALID, `00-${'1'.repeat(32)}-${SPAN_ID}-01`] })?.traceId,
        TRACE_ID,
      );
    });

    it('starts a new trace from a malformed header, and never throws', () => {
      const malformed = [
        '',
        ' ',
        'garbage',
        '00',
        `00-${TRACE_ID}-${SPAN_ID}`,
        `00_${TRACE_ID}_${SPAN_ID}_01`,
        `00-${TRACE_ID}-${SPAN_ID}-zz`,
        `00-${TRACE_ID.replace('a', 'g')}-${SPAN_ID}-01`,
        `${VALID}\u0000`,
        'x'.repeat(100_000),
      ];
      for (const header of malformed) {
        const context = extract(
          { traceparent: header, tracestate: 'congo=t61rcWkgMzE' },
          ROOT_CONTEXT,
        );
        assert.equal(trace.getSpanContext(context), undefined, JSON.stringify(header.slice(0, 60)));
        withSpan('server', { parent: context }, (span) => {
          assert.notEqual(span.spanContext().traceId, TRACE_ID, 'a new trace');
        });
      }
    });
  });

  describe('tracestate', () => {
    it('keeps members in order and forwards them unchanged', () => {
      const header = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,tenant@vendor=x';
      assert.equal(tracestate(header), header);
      const context = extract({ traceparent: VALID, tracestate: header }, ROOT_CONTEXT);
      assert.deepEqual(reinjected(context), { traceparent: VALID, tracestate: header });
    });

    it('joins several tracestate header values in order', () => {
      assert.equal(tracestate(['rojo=1', 'congo=2,blue=3']), 'rojo=1,congo=2,blue=3');
    });

    it('passes tracestate to child spans of a remote parent', () => {
      const parent = extract({ traceparent: VALID, tracestate: 'rojo=1,congo=2' }, ROOT_CONTEXT);
      withSpan('child', { parent }, (span) => {
        const headers = inject({});
        assert.equal(headers.traceparent, `00-${TRACE_ID}-${span.spanContext().spanId}-01`);
        assert.notEqual(span.spanContext().spanId, SPAN_ID);
        assert.equal(headers.tracestate, 'rojo=1,congo=2');
      });
    });

    it('keeps the first 32 members of a longer list and drops the rest', () => {
      // The spec lets a parser discard the whole header; OpenTelemetry JS truncates instead.
      const members = Array.from({ length: 40 }, (_, i) => `k${i}=v${i}`);
      assert.equal(tracestate(members.join(',')), members.slice(0, 32).join(','));
    });

    it('skips members that would take the header past 512 characters', () => {
      const long = Array.from({ length: 12 }, (_, i) => `k${i}=${'x'.repeat(40)}`);
      const kept = tracestate([...long, 'last=1'].join(','));
      // 11 members of 43 characters plus commas fit in 512; the 12th does not, a short one does.
      assert.equal(kept, [...long.slice(0, 11), 'last=1'].join(','));
    });

    it('drops members with invalid keys or values and keeps the valid ones', () => {
      const header = [
        'good=1',
        'Upper=2',
        '1digit=3',
        'ok@vendor=4',
        'bad@Vendor=5',
        'novalue',
        'eq=a=b',
        `long=${'x'.repeat(257)}`,
        'spaces = 6',
        'also_good-1*/=7',
      ].join(',');
      assert.equal(tracestate(header), 'good=1,ok@vendor=4,also_good-1*/=7');
    });

    it('puts a new entry first and moves an updated one to the front (TraceState.set)', () => {
      const state = parse({ traceparent: VALID, tracestate: 'rojo=1,congo=2' })?.traceState;
      assert.ok(state);
      assert.equal(state.set('sightline', 'a').serialize(), 'sightline=a,rojo=1,congo=2');
      assert.equal(state.set('congo', '3').serialize(), 'congo=3,rojo=1');
      assert.equal(state.unset('rojo').serialize(), 'congo=2');
      assert.equal(state.set('Bad', 'x').serialize(), 'rojo=1,congo=2', 'invalid keys are refused');
      assert.equal(state.serialize(), 'rojo=1,congo=2', 'TraceState is immutable');
    });

    it('ignores tracestate without a valid traceparent', () => {
      assert.equal(parse({ tracestate: 'rojo=1' }), undefined);
    });
  });
});
