import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snakeCase } from './snake-case.js';

describe('snakeCase', () => {
  it('turns camelCase operation and attribute names into semantic-convention segments', () => {
    assert.equal(snakeCase('leaderElection'), 'leader_election');
    assert.equal(snakeCase('term'), 'term');
    assert.equal(snakeCase('svidIssue'), 'svid_issue');
    assert.equal(snakeCase('parseHTTPRequest'), 'parse_http_request');
    assert.equal(snakeCase('ttl2Seconds'), 'ttl2_seconds');
    assert.equal(snakeCase('Upper'), 'upper');
  });
});
