import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { bindEmitter } from './bind-emitter.js';

const REQUEST = createContextKey('request');
const requestOf = (): unknown => context.active().getValue(REQUEST);

describe('bindEmitter', () => {
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

  it('runs listeners in the context active when bound, not the one that emits', () => {
    const emitter = new EventEmitter();
    const seen: unknown[] = [];
    context.with(ROOT_CONTEXT.setValue(REQUEST, 'a'), () => {
      bindEmitter(emitter);
      emitter.on('data', () => seen.push(requestOf()));
      emitter.once('data', () => seen.push(`once:${String(requestOf())}`));
    });
    context.with(ROOT_CONTEXT.setValue(REQUEST, 'b'), () => emitter.emit('data'));
    emitter.emit('data');
    assert.deepEqual(seen, ['a', 'once:a', 'a']);
  });

  it('binds to an explicit context', () => {
    const emitter = bindEmitter(new EventEmitter(), ROOT_CONTEXT.setValue(REQUEST, 'explicit'));
    let seen: unknown;
    emitter.on('x', () => {
      seen = requestOf();
    });
    context.with(ROOT_CONTEXT.setValue(REQUEST, 'emitter'), () => emitter.emit('x'));
    assert.equal(seen, 'explicit');
  });

  it('still removes listeners that were bound', () => {
    const emitter = bindEmitter(new EventEmitter());
    let calls = 0;
    const listener = () => calls++;
    emitter.on('x', listener);
    emitter.off('x', listener);
    emitter.emit('x');
    assert.equal(calls, 0);
    assert.equal(emitter.listenerCount('x'), 0);
  });

  it('keeps the first context when bound twice (documented limitation)', () => {
    const emitter = new EventEmitter();
    bindEmitter(emitter, ROOT_CONTEXT.setValue(REQUEST, 'first'));
    bindEmitter(emitter, ROOT_CONTEXT.setValue(REQUEST, 'second'));
    let seen: unknown;
    emitter.on('x', () => {
      seen = requestOf();
    });
    emitter.emit('x');
    assert.equal(seen, 'first');
  });

  it('never throws on a value that is not an emitter', () => {
    for (const value of [undefined, null, 42, {}]) {
      assert.equal(bindEmitter(value as unknown as EventEmitter), value);
    }
  });
});
