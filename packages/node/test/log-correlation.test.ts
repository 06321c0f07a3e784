import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { context, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import { init, type SightlineHandle, withSpan } from '../src/index.js';
import { createLineSink } from './support/line-sink.js';
import { type OtlpReceiver, type ReceivedLog, startOtlpReceiver } from './support/otlp-receiver.js';

// The instrumentations hook `require`, as in a CommonJS app (the ESM path: log-register.test.ts).
const require = createRequire(import.meta.url);
type Pino = ((destination: NodeJS.WritableStream) => {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  flush(callback: (error?: Error) => void): void;
  child(bindings: object): { warn(...args: unknown[]): void };
}) & {
  destination(options: { dest: string; sync: boolean; minLength: number }): NodeJS.WritableStream;
};
type Winston = typeof import('winston');

const UNSAMPLED: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.NONE,
};

describe('pino and winston log correlation and the log bridge (default options)', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;
  let pino: Pino;
  let winston: Winston;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      service: { name: 'log-correlation' },
      otlp: { endpoint: receiver.httpUrl },
      metrics: { exporters: ['none'] },
      shutdown: { handleSignals: false },
      // Through the registry, as every app gets them (HTTP and the data layer are not needed here).
      instrumentations: { enabled: ['pino', 'winston'] },
    });
    pino = require('pino') as Pino;
    winston = require('winston') as Winston;
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  async function received(scope: string, body: string): Promise<ReceivedLog> {
    await sightline.flush();
    return receiver.waitFor(
      () => receiver.logs.find((l) => l.scope.name === scope && l.body === body),
      { what: `the ${scope} record "${body}"` },
    );
  }

  describe('pino', () => {
    const scope = '@opentelemetry/instrumentation-pino';
    const sink = createLineSink();
    let span: SpanContext;

    before(async () => {
      const logger = pino(sink.stream);
      logger.info('pino before');
      span = await withSpan('pino work', async (active) => {
        logger.info({ order: 7 }, 'pino inside');
        logger.child({ component: 'billing' }).warn('pino child inside');
        logger.error(new Error('card declined'), 'pino failed');
        return active.spanContext();
      });
      logger.info('pino after');
      context.with(trace.setSpanContext(context.active(), UNSAMPLED), () =>
        logger.info('pino unsampled'),
      );
    });

    it('writes trace_id, span_id and trace_flags into every record made inside a span', () => {
      for (const text of ['pino inside', 'pino child inside', 'pino failed']) {
        const record = sink.find(text);
        assert.equal(record.trace_id, span.traceId, text);
        assert.equal(record.span_id, span.spanId, text);
        assert.equal(record.trace_flags, '01', text);
      }
      assert.equal(sink.find('pino inside').order, 7);
      assert.equal(sink.find('pino child inside').component, 'billing');
    });

    it('writes none of them outside a span, and flags 00 in an unsampled one', () => {
      for (const text of ['pino before', 'pino after']) {
        const record = sink.find(text);
        for (const key of ['trace_id', 'span_id', 'trace_flags']) assert.ok(!(key in record), key);
      }
      const unsampled = sink.find('pino unsampled');
      assert.equal(unsampled.trace_id, UNSAMPLED.traceId);
      assert.equal(unsampled.trace_flags, '00');
    });

    it('exports the records over OTLP with severity and the span context', async () => {
      const inside = await received(scope, 'pino inside');
      assert.equal(inside.severityNumber, 9);
      assert.equal(inside.severityText, 'info');
      assert.equal(inside.traceId, span.traceId);
      assert.equal(inside.spanId, span.spanId);
      assert.equal(inside.flags & 0xff, 1);
      assert.equal(inside.attributes.order, 7);
      assert.equal(inside.resource['service.name'], 'log-correlation');
      // The correlation fields travel as the record's trace context, not as attributes.
      assert.ok(!('trace_id' in inside.attributes));

      const child = await received(scope, 'pino child inside');
      assert.equal(child.severityNumber, 13);
      assert.equal(child.severityText, 'warn');
      assert.equal(child.spanId, span.spanId);

      const failed = await received(scope, 'pino failed');
      assert.equal(failed.severityNumber, 17);
      assert.equal(failed.severityText, 'error');
      assert.equal(failed.attributes['exception.message'], 'card declined');

      const before = await received(scope, 'pino before');
      assert.equal(before.traceId, '');
      assert.equal(before.spanId, '');
    });

    it('still flushes an asynchronous destination on logger.flush(cb)', async (t) => {
      // Regression: the log bridge's multistream had no flush(), so pino called back at once,
      // before the buffered lines were written.
      const dir = mkdtempSync(join(tmpdir(), 'sightline-pino-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'app.log');
      const destination = pino.destination({ dest: file, sync: false, minLength: 4096 });
      await new Promise((resolve) => destination.once('ready', resolve));
      const logger = pino(destination);
      logger.info('buffered line');
      await new Promise<void>((resolve, reject) =>
        logger.flush((error) => (error ? reject(error) : resolve())),
      );
      assert.match(readFileSync(file, 'utf8'), /"msg":"buffered line"/);
    });

    it('adds no span event for an error logged inside a span unless asked to', async () => {
      await sightline.flush();
      const exported = await receiver.waitFor(
        () => receiver.spans.find((s) => s.name === 'pino work'),
        { what: 'the pino work span' },
      );
      assert.deepEqual(exported.events, []);
    });
  });

  describe('winston', () => {
    const scope = '@opentelemetry/winston-transport';
    const sink = createLineSink();
    let span: SpanContext;

    before(async () => {
      const logger = winston.createLogger({
        level: 'debug',
        format: winston.format.json(),
        transports: [new winston.transports.Stream({ stream: sink.stream })],
      });
      logger.info('winston before');
      span = await withSpan('winston work', async (active) => {
        logger.info('winston inside', { order: 8 });
        logger.child({ component: 'billing' }).warn('winston child inside');
        logger.error('winston failed', new Error('card declined'));
        logger.debug('winston debug inside');
        return active.spanContext();
      });
      logger.info('winston after');
    });

    it('writes trace_id, span_id and trace_flags into every record made inside a span', () => {
      for (const text of ['winston inside', 'winston child inside', 'winston debug inside']) {
        const record = sink.find(text);
        assert.equal(record.trace_id, span.traceId, text);
        assert.equal(record.span_id, span.spanId, text);
        assert.equal(record.trace_flags, '01', text);
      }
      assert.equal(sink.find('winston failed card declined').span_id, span.spanId);
      assert.equal(sink.find('winston inside').order, 8);
    });

    it('writes none of them outside a span', () => {
      for (const text of ['winston before', 'winston after']) {
        const record = sink.find(text);
        for (const key of ['trace_id', 'span_id', 'trace_flags']) assert.ok(!(key in record), key);
      }
    });

    it('exports the records over OTLP with severity and the span context', async () => {
      const inside = await received(scope, 'winston inside');
      assert.equal(inside.severityNumber, 9);
      assert.equal(inside.severityText, 'info');
      assert.equal(inside.traceId, span.traceId);
      assert.equal(inside.spanId, span.spanId);
      assert.equal(inside.attributes.order, 8);
      assert.ok(!('trace_id' in inside.attributes));

      const debug = await received(scope, 'winston debug inside');
      assert.equal(debug.severityNumber, 5);
      assert.equal(debug.severityText, 'debug');

      const failed = await received(scope, 'winston failed card declined');
      assert.equal(failed.severityNumber, 17);
      assert.equal(failed.spanId, span.spanId);
      assert.equal(failed.attributes['exception.message'], 'card declined');

      const before = await received(scope, 'winston before');
      assert.equal(before.traceId, '');
    });

    it('adds no span event for an error logged inside a span unless asked to', async () => {
      await sightline.flush();
      const exported = await receiver.waitFor(
        () => receiver.spans.find((s) => s.name === 'winston work'),
        { what: 'the winston work span' },
      );
      assert.deepEqual(exported.events, []);
    });
  });
});
