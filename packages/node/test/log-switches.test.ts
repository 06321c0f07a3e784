import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { logs } from '@opentelemetry/api';
import { init, type SightlineHandle, withSpan } from '../src/index.js';
import { createPinoInstrumentation } from '../src/instrumentation/logs/pino-instrumentation.js';
import { createWinstonInstrumentation } from '../src/instrumentation/logs/winston-instrumentation.js';
import { createLineSink } from './support/line-sink.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

const require = createRequire(import.meta.url);
type Pino = (
  destination: NodeJS.WritableStream,
) => Record<'info' | 'error', (...a: unknown[]) => void>;
type Winston = typeof import('winston');
const CORRELATION = ['trace_id', 'span_id', 'trace_flags'];

describe('logs.instrumentation.correlation and sending turned off', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;
  const pinoSink = createLineSink();
  const winstonSink = createLineSink();

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      // The factories are under test here, so the registry must not enable them a second time.
      instrumentations: { enabled: [] },
      otlp: { endpoint: receiver.httpUrl },
      metrics: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const options = { correlation: false, sending: false, spanEvents: true };
    createPinoInstrumentation(options);
    createWinstonInstrumentation(options);
    const pino = (require('pino') as Pino)(pinoSink.stream);
    const winston = require('winston') as Winston;
    const logger = winston.createLogger({
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream: winstonSink.stream })],
    });
    await withSpan('switched off', async () => {
      pino.info('pino inside');
      pino.error(new Error('pino boom'));
      logger.info('winston inside');
      logger.error('winston boom');
    });
    // A record of our own proves the log pipeline works, so that the absence of the others means something.
    logs.getLogger('control').emit({ body: 'control' });
    await sightline.flush();
    await receiver.waitFor(() => receiver.logs.some((l) => l.body === 'control'), {
      what: 'control',
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  it('writes no correlation fields', () => {
    for (const record of [pinoSink.find('pino inside'), winstonSink.find('winston inside')])
      for (const key of CORRELATION) assert.ok(!(key in record), key);
    for (const key of CORRELATION) assert.ok(!(key in winstonSink.find('winston boom')), key);
  });

  it('sends no records', () => {
    assert.deepEqual(
      receiver.logs.map((l) => l.body),
      ['control'],
    );
  });

  it('still records span events, which need neither', async () => {
    const span = await receiver.waitFor(() =>
      receiver.spans.find((s) => s.name === 'switched off'),
    );
    assert.deepEqual(
      span.events.map((e) => [
        e.name,
        e.attributes['exception.message'] ?? e.attributes['sightline.log.message'],
      ]),
      [
        ['exception', 'pino boom'],
        ['log', 'winston boom'],
      ],
    );
  });
});
