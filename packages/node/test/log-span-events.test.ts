import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { init, type SightlineHandle, withSpan } from '../src/index.js';
import { createPinoInstrumentation } from '../src/instrumentation/logs/pino-instrumentation.js';
import { createWinstonInstrumentation } from '../src/instrumentation/logs/winston-instrumentation.js';
import { createLineSink } from './support/line-sink.js';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.js';

const require = createRequire(import.meta.url);
type Log = (...args: unknown[]) => void;
type Pino = (
  destination: NodeJS.WritableStream,
) => Record<'info' | 'warn' | 'error' | 'fatal', Log>;
type Winston = typeof import('winston');

/** The events of one exported span, without the stack traces (checked separately). */
function eventsOf(span: ReceivedSpan): { name: string; attributes: Record<string, unknown> }[] {
  return span.events.map(({ name, attributes }) => {
    const { 'exception.stacktrace': _stack, ...rest } = attributes;
    return { name, attributes: rest };
  });
}

describe('logs.instrumentation.spanEvents and sendLevel', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;
  let pino: Pino;
  let winston: Winston;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      // The factories are under test here, so the registry must not enable them a second time.
      instrumentations: { enabled: [] },
      otlp: { endpoint: receiver.httpUrl },
      metrics: { exporters: ['none'] },
      logs: { instrumentation: { spanEvents: true, sendLevel: 'warn' } },
      shutdown: { handleSignals: false },
    });
    createPinoInstrumentation(sightline.config.logs.instrumentation);
    createWinstonInstrumentation(sightline.config.logs.instrumentation);
    pino = require('pino') as Pino;
    winston = require('winston') as Winston;
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  async function exportedSpan(name: string): Promise<ReceivedSpan> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.spans.find((s) => s.name === name), { what: name });
  }

  async function sentBodies(scope: string, expected: number): Promise<unknown[]> {
    await sightline.flush();
    return receiver.waitFor(
      () => {
        const bodies = receiver.logs.filter((l) => l.scope.name === scope).map((l) => l.body);
        return bodies.length >= expected && bodies;
      },
      { what: `${expected} ${scope} records` },
    );
  }

  describe('pino', () => {
    const sink = createLineSink();
    let stack: string | undefined;

    before(async () => {
      const logger = pino(sink.stream);
      logger.error('pino error outside');
      await withSpan('pino span events', async () => {
        const error = new TypeError('amount must be positive');
        stack = error.stack;
        logger.info('pino info');
        logger.warn('pino warn');
        logger.error(error, 'pino charge failed');
        logger.error({ err: new RangeError('too late') });
        logger.error('pino plain error');
        logger.fatal('pino fatal');
      });
    });

    it('turns error and fatal records inside a span into exception and log events', async () => {
      const span = await exportedSpan('pino span events');
      assert.deepEqual(eventsOf(span), [
        {
          name: 'exception',
          attributes: {
            'sightline.log.severity': 'error',
            'sightline.log.message': 'pino charge failed',
            'exception.type': 'TypeError',
            'exception.message': 'amount must be positive',
          },
        },
        {
          name: 'exception',
          attributes: {
            'sightline.log.severity': 'error',
            'sightline.log.message': 'too late',
            'exception.type': 'RangeError',
            'exception.message': 'too late',
          },
        },
        {
          name: 'log',
          attributes: {
            'sightline.log.severity': 'error',
            'sightline.log.message': 'pino plain error',
          },
        },
        {
          name: 'log',
          attributes: { 'sightline.log.severity': 'fatal', 'sightline.log.message': 'pino fatal' },
        },
      ]);
      assert.equal(span.events[0]?.attributes['exception.stacktrace'], stack);
      // Logging an error does not fail the span: the app may have handled it.
      assert.equal(span.status.code, 0);
    });

    it('sends only records at or above sendLevel, and still writes every record locally', async () => {
      const bodies = await sentBodies('@opentelemetry/instrumentation-pino', 6);
      assert.deepEqual(bodies.sort(), [
        'pino charge failed',
        'pino error outside',
        'pino fatal',
        'pino plain error',
        'pino warn',
        'too late',
      ]);
      assert.equal(sink.find('pino info').level, 30);
      assert.equal(sink.records().length, 7);
    });
  });

  describe('winston', () => {
    const sink = createLineSink();

    before(async () => {
      const logger = winston.createLogger({
        levels: winston.config.syslog.levels,
        level: 'debug',
        format: winston.format.json(),
        transports: [new winston.transports.Stream({ stream: sink.stream })],
      });
      logger.log('error', 'winston error outside');
      await withSpan('winston span events', async () => {
        logger.info('winston info');
        logger.log('warning', 'winston warning');
        logger.log('error', new Error('disk full'));
        logger.log('crit', 'winston write failed', new SyntaxError('bad json'));
        logger.log('error', 'winston plain error');
      });
    });

    it('turns error-severity records inside a span into exception and log events', async () => {
      const span = await exportedSpan('winston span events');
      assert.deepEqual(eventsOf(span), [
        {
          name: 'exception',
          attributes: {
            'sightline.log.severity': 'error',
            'sightline.log.message': 'disk full',
            'exception.type': 'Error',
            'exception.message': 'disk full',
          },
        },
        {
          name: 'exception',
          attributes: {
            'sightline.log.severity': 'crit',
            'sightline.log.message': 'winston write failed bad json',
            'exception.type': 'SyntaxError',
            'exception.message': 'bad json',
          },
        },
        {
          name: 'log',
          attributes: {
            'sightline.log.severity': 'error',
            'sightline.log.message': 'winston plain error',
          },
        },
      ]);
      assert.match(
        String(span.events[1]?.attributes['exception.stacktrace']),
        /^SyntaxError: bad json/,
      );
    });

    it('sends only records at or above sendLevel, and still writes every record locally', async () => {
      const bodies = await sentBodies('@opentelemetry/winston-transport', 5);
      assert.deepEqual(bodies.sort(), [
        'disk full',
        'winston error outside',
        'winston plain error',
        'winston warning',
        'winston write failed bad json',
      ]);
      assert.equal(sink.find('winston info').level, 'info');
    });
  });
});
