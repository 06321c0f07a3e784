import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes, Span } from '@opentelemetry/api';
import { resolveLogInstrumentationOptions } from './log-instrumentation-options.js';
import { addLogSpanEvent } from './log-span-event.js';
import { createWinstonLogHook, errorOfWinstonRecord } from './winston-log-hook.js';

const LEVEL = Symbol.for('level');
const SPLAT = Symbol.for('splat');

/** Just enough of a recording span to see the events added to it. */
function recordingSpan(events: [string, Attributes | undefined][] = []): Span {
  return {
    isRecording: () => true,
    addEvent(name: string, attributes?: Attributes) {
      events.push([name, attributes]);
      return this;
    },
  } as unknown as Span;
}

describe('errorOfWinstonRecord', () => {
  it('finds the error wherever winston puts it', () => {
    const error = new RangeError('late');
    assert.equal(errorOfWinstonRecord(error as never), error);
    assert.equal(errorOfWinstonRecord({ message: 'x', err: error }), error);
    assert.equal(errorOfWinstonRecord({ message: 'x', error }), error);
    assert.equal(
      errorOfWinstonRecord({ message: 'failed late', [SPLAT]: [{ id: 1 }, error] }),
      error,
    );
    assert.equal(errorOfWinstonRecord({ message: 'plain' }), undefined);
  });

  it('rebuilds the error that format.errors() flattened into the record', () => {
    const found = errorOfWinstonRecord({
      message: 'bad input',
      stack: 'ValidationError: bad input\n    at check (app.js:1:1)',
    });
    assert.deepEqual(found, {
      name: 'ValidationError',
      message: 'bad input',
      stack: 'ValidationError: bad input\n    at check (app.js:1:1)',
    });
  });
});

describe('the winston logHook', () => {
  it('adds events only for error severity and above, and strips correlation when it is off', () => {
    const events: [string, Attributes | undefined][] = [];
    const hook = createWinstonLogHook(
      resolveLogInstrumentationOptions({ correlation: false, spanEvents: true }),
    );
    const record = (level: string, message: string): Record<string | symbol, unknown> => ({
      level,
      [LEVEL]: level,
      message,
      trace_id: 't',
      span_id: 's',
      trace_flags: '01',
    });
    const warn = record('warn', 'slow');
    hook(recordingSpan(events), warn);
    hook(recordingSpan(events), record('emerg', 'down'));
    hook(recordingSpan(events), record('custom', 'mine'));
    assert.deepEqual(events, [
      ['log', { 'sightline.log.severity': 'emerg', 'sightline.log.message': 'down' }],
    ]);
    assert.deepEqual(Object.keys(warn), ['level', 'message']);
  });
});

describe('addLogSpanEvent', () => {
  it('never throws into the log call, even when the span does', () => {
    const broken = {
      isRecording: () => true,
      addEvent() {
        throw new Error('broken span');
      },
    } as unknown as Span;
    assert.doesNotThrow(() =>
      addLogSpanEvent(broken, { severityText: 'error', message: 'x', error: undefined }),
    );
  });

  it('adds nothing to a span that is not recording', () => {
    const events: [string, Attributes | undefined][] = [];
    const span = { ...recordingSpan(events), isRecording: () => false } as unknown as Span;
    addLogSpanEvent(span, { severityText: 'error', message: 'x', error: undefined });
    assert.deepEqual(events, []);
  });
});
