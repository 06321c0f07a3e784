import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededIdGenerator, seededRandom } from '../../test/support/sampling-harness.js';
import { Decision, DecisionMemory } from './decision-memory.js';

describe('decision memory', () => {
  it('tells apart trace ids that differ only in their first digits', () => {
    const memory = new DecisionMemory(100);
    memory.set('0af7651916cd43dd8448eb211c80319c', Decision.Keep);
    memory.set('1af7651916cd43dd8448eb211c80319c', Decision.Drop);
    assert.equal(memory.get('0af7651916cd43dd8448eb211c80319c'), Decision.Keep);
    assert.equal(memory.get('1af7651916cd43dd8448eb211c80319c'), Decision.Drop);
    assert.equal(memory.get('2af7651916cd43dd8448eb211c80319c'), undefined);
  });

  it('stays within its capacity and forgets old decisions first', () => {
    const ids = new SeededIdGenerator(seededRandom(4));
    const memory = new DecisionMemory(1000);
    const all = Array.from({ length: 20_000 }, () => ids.generateTraceId());
    for (const id of all) memory.set(id, Decision.Drop);
    assert.ok(memory.size <= 1000 && memory.size > 900, `${memory.size}`);
    const remembered = (from: number, to: number) =>
      all.slice(from, to).filter((id) => memory.get(id) !== undefined).length;
    assert.ok(remembered(19_500, 20_000) > 450, 'recent decisions are remembered');
    assert.equal(remembered(0, 10_000), 0, 'old ones are gone');
  });

  it('changes a remembered decision in place', () => {
    const memory = new DecisionMemory(4);
    memory.set('4bf92f3577b34da6a3ce929d0e0e4736', Decision.ProvisionalDrop);
    memory.set('4bf92f3577b34da6a3ce929d0e0e4736', Decision.Keep);
    assert.equal(memory.size, 1);
    assert.equal(memory.get('4bf92f3577b34da6a3ce929d0e0e4736'), Decision.Keep);
  });
});
