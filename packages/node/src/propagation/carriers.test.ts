import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CarrierAccessors, carrierAccessors } from './carriers.js';

function accessorsOf(carrier: unknown): CarrierAccessors {
  const accessors = carrierAccessors(carrier);
  assert.ok(accessors, 'a supported carrier');
  return accessors;
}

describe('carrier accessors', () => {
  it('tells the four carrier kinds apart at run time', () => {
    assert.equal(carrierAccessors({})?.kind, 'record');
    assert.equal(carrierAccessors(Object.create(null))?.kind, 'record');
    assert.equal(carrierAccessors(new Headers())?.kind, 'headers');
    assert.equal(carrierAccessors(new Map())?.kind, 'map');
    assert.equal(carrierAccessors([])?.kind, 'pairs');
    assert.equal(carrierAccessors([['traceparent', 'x']])?.kind, 'pairs');
  });

  it('refuses what is not a carrier', () => {
    class Reply {
      headers = {};
    }
    for (const value of [undefined, null, 'traceparent', 42, [1, 2], [['a']], new Reply()]) {
      assert.equal(carrierAccessors(value), undefined, String(value));
    }
  });

  it('reads header objects in any letter case, the exact name first', () => {
    const { getter } = accessorsOf({});
    const carrier = { Traceparent: 'upper', 'X-B3-TraceId': ['a', 'b'], n: 5 };
    assert.equal(getter.get(carrier, 'traceparent'), 'upper');
    assert.deepEqual(getter.get(carrier, 'x-b3-traceid'), ['a', 'b']);
    assert.equal(getter.get(carrier, 'n'), undefined, 'non-string values are not headers');
    assert.equal(
      getter.get({ traceparent: 'lower', TRACEPARENT: 'upper' }, 'traceparent'),
      'lower',
    );
    assert.equal(
      getter.get(carrier, 'constructor'),
      undefined,
      'prototype members are not headers',
    );
    assert.deepEqual(getter.keys(carrier), ['Traceparent', 'X-B3-TraceId', 'n']);
  });

  it('replaces a differently-cased header instead of sending it twice', () => {
    const { setter } = accessorsOf({});
    const carrier: Record<string, string> = { Traceparent: 'old', accept: 'json' };
    setter.set(carrier, 'traceparent', 'new');
    assert.deepEqual(carrier, { accept: 'json', traceparent: 'new' });
  });

  it('reads and writes WHATWG Headers', () => {
    const { getter, setter } = accessorsOf(new Headers());
    const headers = new Headers({ TraceParent: 'a' });
    assert.equal(getter.get(headers, 'traceparent'), 'a');
    assert.equal(getter.get(headers, 'baggage'), undefined);
    setter.set(headers, 'traceparent', 'b');
    assert.deepEqual([...headers], [['traceparent', 'b']]);
  });

  it('reads a Map in any letter case, Buffers as UTF-8, and replaces on write', () => {
    const { getter, setter } = accessorsOf(new Map());
    const map = new Map<string, unknown>([
      ['Baggage', Buffer.from('tenant=acme')],
      ['x', 1],
    ]);
    assert.equal(getter.get(map, 'baggage'), 'tenant=acme');
    assert.equal(getter.get(map, 'x'), undefined);
    setter.set(map, 'baggage', 'tenant=other');
    assert.deepEqual(
      [...map],
      [
        ['x', 1],
        ['baggage', 'tenant=other'],
      ],
    );
  });

  it('reads the first matching pair and replaces it in place, dropping duplicates', () => {
    const { getter, setter } = accessorsOf([]);
    const pairs: Array<[string, string]> = [
      ['content-type', 'json'],
      ['TRACEPARENT', 'first'],
      ['traceparent', 'second'],
    ];
    assert.equal(getter.get(pairs, 'traceparent'), 'first');
    assert.deepEqual(getter.keys(pairs), ['content-type', 'TRACEPARENT', 'traceparent']);
    setter.set(pairs, 'traceparent', 'new');
    assert.deepEqual(pairs, [
      ['content-type', 'json'],
      ['traceparent', 'new'],
    ]);
    setter.set(pairs, 'baggage', 'k=v');
    assert.deepEqual(pairs.at(-1), ['baggage', 'k=v']);
  });
});
