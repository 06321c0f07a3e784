import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAttrFilters, parseAttrFilters } from './attr-filters.js';

describe('attribute filters', () => {
  it('parses key=value, quoted values and bare keys', () => {
    assert.deepEqual(parseAttrFilters('http.status_code=500 user.name="Ada L" error'), [
      'http.status_code=500',
      'user.name=Ada L',
      'error',
    ]);
    assert.deepEqual(parseAttrFilters('  '), []);
    assert.deepEqual(parseAttrFilters('q="say \\"hi\\""'), ['q=say "hi"']);
  });
  it('formats filters back so they parse to the same list', () => {
    const filters = ['a=1', 'b=two words', 'c', 'd=', 'e=quote"d'];
    assert.deepEqual(parseAttrFilters(formatAttrFilters(filters)), filters);
  });
});
