import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leakVerdict, memoryPanel } from './memory-metrics.js';

describe('memory metrics', () => {
  it('sorts runtime memory metrics into panels', () => {
    assert.equal(memoryPanel('v8js.memory.heap.used'), 'heap');
    assert.equal(memoryPanel('sightline.memory.heap.used_after_gc'), 'heap');
    assert.equal(memoryPanel('process.memory.usage'), 'rss');
    assert.equal(memoryPanel('sightline.memory.external'), 'external');
    assert.equal(memoryPanel('sightline.memory.array_buffers'), 'external');
    assert.equal(memoryPanel('v8js.gc.duration'), 'gc');
    assert.equal(memoryPanel('sightline.memory.leak.severity'), 'leak');
    assert.equal(memoryPanel('sightline.arena.capacity'), 'arena');
    assert.equal(memoryPanel('http.server.request.duration'), undefined);
  });
  it('reads the severity gauge and the growth rate into a verdict', () => {
    const verdict = leakVerdict([
      { name: 'sightline.memory.leak.severity', unit: '1', value: 3, attributes: {} },
      { name: 'sightline.memory.leak.growth_rate', unit: 'By/h', value: 1e6, attributes: {} },
    ]);
    assert.equal(verdict.severity, 'high');
    assert.equal(verdict.suspected, true);
    assert.equal(verdict.growth?.value, 1e6);
  });
  it('says no leak when the severity is none', () => {
    const verdict = leakVerdict([
      { name: 'sightline.memory.leak.severity', unit: '1', value: 0, attributes: {} },
    ]);
    assert.equal(verdict.severity, 'none');
    assert.equal(verdict.suspected, false);
  });
});
