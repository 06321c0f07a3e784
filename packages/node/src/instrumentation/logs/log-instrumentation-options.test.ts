import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../config/resolve.js';
import { SightlineError } from '../../errors.js';
import { resolveLogInstrumentationOptions } from './log-instrumentation-options.js';

describe('log instrumentation options', () => {
  it('defaults to correlation and sending on, every level sent, span events off', () => {
    assert.deepEqual(resolveLogInstrumentationOptions(), {
      enabled: true,
      correlation: true,
      sending: true,
      sendLevel: 'trace',
      spanEvents: false,
    });
  });

  it('accepts the resolved init() configuration as is', () => {
    const config = resolveConfig({
      env: {},
      options: { logs: { instrumentation: { spanEvents: true } } },
    });
    assert.deepEqual(resolveLogInstrumentationOptions(config.logs.instrumentation), {
      enabled: true,
      correlation: true,
      sending: true,
      sendLevel: 'trace',
      spanEvents: true,
    });
  });

  it('throws SIGHTLINE_ERR_INVALID_OPTION naming an invalid option and its value', () => {
    assert.throws(
      () => resolveLogInstrumentationOptions({ sendLevel: 'loud' as never }),
      (error: unknown) =>
        error instanceof SightlineError &&
        error.code === 'SIGHTLINE_ERR_INVALID_OPTION' &&
        error.message.includes('logs.instrumentation.sendLevel') &&
        error.message.includes('"loud"'),
    );
    assert.throws(
      () => resolveLogInstrumentationOptions({ spanEvents: 'yes' as never }),
      /logs\.instrumentation\.spanEvents.*"yes"/,
    );
    assert.throws(
      () => resolveLogInstrumentationOptions({ corelation: false } as never),
      /corelation/,
    );
  });

  it('reads SIGHTLINE_LOG_* from the environment and warns about invalid values', () => {
    const warnings: string[] = [];
    const config = resolveConfig({
      env: {
        SIGHTLINE_LOG_CORRELATION: 'false',
        SIGHTLINE_LOG_SENDING: 'false',
        SIGHTLINE_LOG_SEND_LEVEL: 'WARN',
        SIGHTLINE_LOG_SPAN_EVENTS: 'maybe',
      },
      warn: (message) => warnings.push(message),
    });
    assert.deepEqual(config.logs.instrumentation, {
      correlation: false,
      sending: false,
      sendLevel: 'warn',
      spanEvents: false,
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /SIGHTLINE_LOG_SPAN_EVENTS/);
  });
});
