import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  context,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { withSpan } from '../spans/with-span.js';
import { linkFrom } from './link-from.js';

const PRODUCER: SpanContext = {
  traceId: '5b8aa5a2d2c872e8321cf37308d69df2',
  spanId: '051581bf3cb55c13',
  traceFlags: TraceFlags.SAMPLED,
};
const header = (id: number): string =>
  `00-${PRODUCER.traceId.slice(0, 30)}${id.toString(16).padStart(2, '0')}-${PRODUCER.spanId}-01`;

describe('linkFrom', () => {
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

  it('links to the span context in message headers, with attributes', () => {
    const link = linkFrom({ traceparent: header(1) }, { 'messaging.message.id': 'm-1' });
    assert.deepEqual(link, {
      context: {
        traceId: header(1).slice(3, 35),
        spanId: PRODUCER.spanId,
        traceFlags: 1,
        isRemote: true,
      },
      attributes: { 'messaging.message.id': 'm-1' },
    });
  });

  it('accepts every carrier kind, a Context and a SpanContext', () => {
    const traceparent = `00-${PRODUCER.traceId}-${PRODUCER.spanId}-01`;
    const sources = [
      new Headers({ traceparent }),
      new Map([['traceparent', traceparent]]),
      [['traceparent', traceparent]] as Array<[string, string]>,
      trace.setSpanContext(ROOT_CONTEXT, PRODUCER),
      PRODUCER,
    ];
    for (const source of sources) {
      const link = linkFrom(source);
      assert.equal(link?.context.traceId, PRODUCER.traceId);
      assert.equal(link?.context.spanId, PRODUCER.spanId);
      assert.equal('attributes' in (link ?? {}), false);
    }
  });

  it('returns undefined when there is no valid span context', () => {
    for (const source of [
      {},
      { traceparent: 'garbage' },
      ROOT_CONTEXT,
      { ...PRODUCER, traceId: '0'.repeat(32) },
      undefined,
      null,
    ]) {
      assert.equal(linkFrom(source), undefined);
    }
  });

  it('ignores the active span when reading a carrier', () => {
    withSpan('active', () => {
      assert.equal(linkFrom({}), undefined);
    });
  });

  it('links one consumer span to a batch of producer contexts', () => {
    const messages = [1, 2, 3].map((id) => ({ id, headers: { traceparent: header(id) } }));
    messages.push({ id: 4, headers: { traceparent: 'not a context' } });
    const links = messages
      .map((message) => linkFrom(message.headers, { 'message.id': message.id }))
      .filter((link) => link !== undefined);
    withSpan('orders process', { kind: SpanKind.CONSUMER, links }, (span) => {
      const recorded = (span as unknown as ReadableSpan).links;
      assert.deepEqual(
        recorded.map((link) => [link.context.traceId, link.attributes?.['message.id']]),
        [1, 2, 3].map((id) => [header(id).slice(3, 35), id]),
      );
      assert.equal(trace.getSpanContext(context.active())?.traceId, span.spanContext().traceId);
      assert.notEqual(span.spanContext().traceId, PRODUCER.traceId, 'a trace of its own');
    });
  });
});
