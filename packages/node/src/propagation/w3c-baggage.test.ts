import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  baggageEntryMetadataFromString,
  type Context,
  propagation,
  ROOT_CONTEXT,
} from '@opentelemetry/api';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { getBaggage, setBaggage, withBaggage } from './baggage.js';
import { extract, inject } from './inject-extract.js';

// W3C Baggage (https://www.w3.org/TR/baggage/) as W3CBaggagePropagator of @opentelemetry/core 3.1.1
// enforces it: at most 180 pairs, 4096 characters per pair, 8192 for the whole header.

function header(entries: Record<string, string>): string | string[] | undefined {
  return inject({}, setBaggage(entries, ROOT_CONTEXT)).baggage;
}

function entries(context: Context): Record<string, string> {
  const all = propagation.getBaggage(context)?.getAllEntries() ?? [];
  return Object.fromEntries(all.map(([key, entry]) => [key, entry.value]));
}

describe('W3C baggage through the propagator init() registers', () => {
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

  describe('limits on inject', () => {
    it('drops a pair longer than 4096 characters and keeps the others', () => {
      const value = 'x'.repeat(4094); // "a=" + 4094 = 4096 characters: the largest pair allowed
      assert.equal(header({ small: '1', a: value }), `small=1,a=${value}`);
      assert.equal(header({ small: '1', big: `${value}y`, after: '2' }), 'small=1,after=2');
    });

    it('counts the percent-encoded length, not the raw one', () => {
      // 1400 "é" are 1400 characters but 8400 once encoded (%C3%A9).
      assert.equal(header({ accent: 'é'.repeat(1400), ok: '1' }), 'ok=1');
    });

    it('skips a pair that would take the header past 8192 characters, but not later short ones', () => {
      const sent = header({ a: 'x'.repeat(4000), b: 'y'.repeat(4000), c: 'z'.repeat(300), d: 'w' });
      assert.equal(typeof sent, 'string');
      const pairs = String(sent).split(',');
      assert.deepEqual(
        pairs.map((pair) => pair.split('=')[0]),
        ['a', 'b', 'd'],
      );
      assert.ok(String(sent).length <= 8192);
    });

    it('sends at most 180 pairs, the first ones', () => {
      const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v']));
      const pairs = String(header(many)).split(',');
      assert.equal(pairs.length, 180);
      assert.equal(pairs[0], 'k0=v');
      assert.equal(pairs[179], 'k179=v');
    });

    it('sends no header for empty baggage', () => {
      assert.equal(header({}), undefined);
    });
  });

  describe('limits on extract', () => {
    it('drops a pair longer than 4096 characters', () => {
      const parsed = extract({ baggage: `big=${'x'.repeat(4093)},ok=1` }, ROOT_CONTEXT);
      assert.deepEqual(entries(parsed), { ok: '1' });
    });

    it('stops reading at 8192 characters and at 180 pairs', () => {
      const long = ['a', 'b', 'c'].map((key) => `${key}=${'x'.repeat(4000)}`).join(',');
      assert.deepEqual(Object.keys(entries(extract({ baggage: long }, ROOT_CONTEXT))), ['a', 'b']);
      const many = Array.from({ length: 200 }, (_, i) => `k${i}=v`).join(',');
      assert.equal(Object.keys(entries(extract({ baggage: many }, ROOT_CONTEXT))).length, 180);
    });

    it('drops malformed pairs, trims spaces, and never throws', () => {
      const parsed = extract(
        { baggage: ' ok = 1 ,novalue,=nokey,empty=,bad=%ZZ,%E0%A4%A=x, two=2' },
        ROOT_CONTEXT,
      );
      assert.deepEqual(entries(parsed), { ok: '1', two: '2' });
      for (const baggage of ['', ',,,', ';', '='.repeat(10_000), '%'.repeat(5000)]) {
        assert.equal(
          propagation.getBaggage(extract({ baggage }, ROOT_CONTEXT)),
          undefined,
          baggage.slice(0, 20),
        );
      }
    });
  });

  it('round-trips keys and values that need percent-encoding', () => {
    const tricky = { 'user name': 'Zoë, "the" 100%; a=b', 'emoji.🚀': '✓/?#&' };
    const sent = header(tricky);
    assert.equal(
      sent,
      'user%20name=Zo%C3%AB%2C%20%22the%22%20100%25%3B%20a%3Db,emoji.%F0%9F%9A%80=%E2%9C%93%2F%3F%23%26',
    );
    assert.deepEqual(entries(extract({ baggage: sent }, ROOT_CONTEXT)), tricky);
  });

  it('keeps properties (metadata) and forwards them', () => {
    const parsed = extract({ baggage: 'tenant=acme;ttl=30;internal,plain=1' }, ROOT_CONTEXT);
    const baggage = propagation.getBaggage(parsed);
    assert.equal(baggage?.getEntry('tenant')?.value, 'acme');
    assert.equal(baggage?.getEntry('tenant')?.metadata?.toString(), 'ttl=30;internal');
    assert.equal(baggage?.getEntry('plain')?.metadata, undefined);
    assert.equal(inject({}, parsed).baggage, 'tenant=acme;ttl=30;internal,plain=1');

    const made = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({
        k: { value: 'v', metadata: baggageEntryMetadataFromString('prop=1') },
      }),
    );
    assert.equal(inject({}, made).baggage, 'k=v;prop=1');
  });

  describe('helpers', () => {
    it('getBaggage reads one entry, or undefined', () => {
      const context = setBaggage({ tenant: 'acme' }, ROOT_CONTEXT);
      assert.equal(getBaggage('tenant', context), 'acme');
      assert.equal(getBaggage('missing', context), undefined);
      assert.equal(getBaggage('tenant', ROOT_CONTEXT), undefined);
      assert.equal(getBaggage('tenant'), undefined, 'nothing in the active context');
    });

    it('setBaggage adds to existing baggage without changing the context it was given', () => {
      const first = setBaggage({ tenant: 'acme', region: 'eu' }, ROOT_CONTEXT);
      const second = setBaggage({ region: 'us', user: '42' }, first);
      assert.deepEqual(entries(first), { tenant: 'acme', region: 'eu' });
      assert.deepEqual(entries(second), { tenant: 'acme', region: 'us', user: '42' });
    });

    it('setBaggage skips entries that are not strings', () => {
      const context = setBaggage(
        { ok: 'yes', bad: 7, '': 'x' } as unknown as Record<string, string>,
        ROOT_CONTEXT,
      );
      assert.deepEqual(entries(context), { ok: 'yes' });
      assert.equal(
        setBaggage(null as unknown as Record<string, string>, ROOT_CONTEXT),
        ROOT_CONTEXT,
      );
    });

    it('withBaggage scopes entries to a sync callback', () => {
      const result = withBaggage({ tenant: 'acme' }, () => {
        assert.equal(getBaggage('tenant'), 'acme');
        return withBaggage({ user: '42' }, () => `${getBaggage('tenant')}/${getBaggage('user')}`);
      });
      assert.equal(result, 'acme/42');
      assert.equal(getBaggage('tenant'), undefined, 'gone after the callback');
    });

    it('withBaggage scopes entries to an async callback across awaits, and injects them', async () => {
      const [a, b] = await Promise.all(
        ['acme', 'globex'].map((tenant) =>
          withBaggage({ tenant }, async () => {
            await nextTurn();
            await new Promise((resolve) => setTimeout(resolve, tenant === 'acme' ? 10 : 1));
            return { seen: getBaggage('tenant'), sent: inject({}).baggage };
          }),
        ),
      );
      assert.deepEqual(a, { seen: 'acme', sent: 'tenant=acme' });
      assert.deepEqual(b, { seen: 'globex', sent: 'tenant=globex' });
    });
  });
});
