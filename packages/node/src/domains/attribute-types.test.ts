import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../../test/support/otlp-receiver.js';
import { SightlineError } from '../errors.js';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { defineSpanFamily } from './define-span-family.js';
import type { FamilySchema } from './family-schema.js';
import type { SpanFamily } from './span-operation.js';

const schema = {
  election: {
    attributes: {
      term: { type: 'int', required: true },
      candidate: 'string',
      peers: 'string[]',
      quorum: 'double',
      won: 'bool',
    },
  },
} as const;

describe('attribute types', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;
  const warnings: string[] = [];

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const record = (message: string) => warnings.push(message);
    const ignore = () => {};
    diag.disable(); // replaces init()'s stderr logger without the API's "overwritten" warning
    diag.setLogger(
      { error: record, warn: record, info: ignore, debug: ignore, verbose: ignore },
      DiagLogLevel.WARN,
    );
  });
  after(async () => {
    diag.disable();
    await sightline.shutdown();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.reset();
    warnings.length = 0;
  });

  async function spans(count: number): Promise<ReceivedSpan[]> {
    await sightline.flush();
    return receiver.waitFor(() => receiver.spans.length >= count && receiver.spans, {
      what: `${count} spans`,
    });
  }

  it('rejects a wrong type at compile time; at run time drops it and warns once per attribute', async () => {
    const family = defineSpanFamily('typed', schema, { metrics: false, typeChecks: true });
    for (let i = 0; i < 3; i++) {
      // @ts-expect-error 'int' takes a number, not a string
      family.election({ term: '7', candidate: 'a' }, () => {});
    }
    // @ts-expect-error 'string[]' takes strings only
    family.election({ term: 1, peers: ['a', 2] }, () => {});
    // @ts-expect-error 'bool' takes a boolean
    family.election({ term: 1, won: 'yes' }, () => {});
    // @ts-expect-error `term` is required
    family.election({ candidate: 'b' }, () => {});
    // @ts-expect-error `voters` is not declared
    family.election({ term: 1, voters: 3 }, () => {});
    family.election({ term: 1.5, quorum: 1.5 }, () => {}); // a fraction compiles, but is no int

    const list = await spans(8);
    assert.deepEqual(
      list.map((s) => s.attributes),
      [
        { 'typed.candidate': 'a' },
        { 'typed.candidate': 'a' },
        { 'typed.candidate': 'a' },
        { 'typed.term': 1 },
        { 'typed.term': 1 },
        { 'typed.candidate': 'b' },
        { 'typed.term': 1 },
        { 'typed.quorum': 1.5 },
      ],
    );
    const about = (text: string) => warnings.filter((w) => w.includes(text));
    assert.equal(about('attribute "term" must be int, got "7"').length, 1, warnings.join('\n'));
    assert.equal(about('attribute "term" must be int, got 1.5').length, 0, 'once per attribute');
    assert.equal(about('attribute "peers" must be string[]').length, 1);
    assert.equal(about('attribute "won" must be bool').length, 1);
    assert.equal(about('required attribute "term" is missing').length, 1);
    assert.ok(
      warnings.every((w) => w.startsWith('sightline: typed.election: ')),
      warnings.join('\n'),
    );
  });

  it('checks nothing in production: NODE_ENV=production when the family is defined', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    let family: SpanFamily<typeof schema>;
    try {
      family = defineSpanFamily('prod', schema, { metrics: false });
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
    // @ts-expect-error a wrong type is still a compile error
    family.election({ term: 'x' }, () => {});
    const list = await spans(1);
    assert.deepEqual(list[0]?.attributes, { 'prod.term': 'x' });
    assert.deepEqual(warnings, []);
  });

  it('throws SIGHTLINE_ERR_INVALID_OPTION for an invalid prefix or schema, naming it', () => {
    const invalid = (prefix: string, bad: unknown, message: RegExp) =>
      assert.throws(
        () => defineSpanFamily(prefix, bad as FamilySchema),
        (error) =>
          error instanceof SightlineError &&
          error.code === 'SIGHTLINE_ERR_INVALID_OPTION' &&
          message.test(error.message),
      );
    invalid('Raft Consensus', {}, /defineSpanFamily\(prefix\)/);
    invalid(
      'raft',
      { election: { attributes: { term: 'integer' } } },
      /raft"\)\.election\.attributes\.term/,
    );
    invalid('raft', { election: { kind: 9 } }, /election\.kind/);
    invalid('raft', { 'leader-election': {} }, /camelCase operation name/);
    invalid(
      'raft',
      { election: { attributes: { a: { type: 'int', key: 'x' }, b: { type: 'int', key: 'x' } } } },
      /attributes\.b\.key/,
    );
  });
});
