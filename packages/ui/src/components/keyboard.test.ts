import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextIndex } from './keyboard.js';

describe('list keys', () => {
  it('moves within bounds and ignores other keys', () => {
    assert.equal(nextIndex('ArrowDown', 3, 10), 4);
    assert.equal(nextIndex('j', 9, 10), 9);
    assert.equal(nextIndex('ArrowUp', 0, 10), 0);
    assert.equal(nextIndex('PageDown', 5, 10), 9);
    assert.equal(nextIndex('Home', 5, 10), 0);
    assert.equal(nextIndex('End', 5, 10), 9);
    assert.equal(nextIndex('x', 5, 10), undefined);
    assert.equal(nextIndex('ArrowDown', 0, 0), undefined);
  });
});
