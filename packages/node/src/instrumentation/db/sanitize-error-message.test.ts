import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeDbErrorMessage } from './sanitize-error-message.js';

describe('sanitizeDbErrorMessage', () => {
  const cases: Array<[string, string]> = [
    [
      'invalid input syntax for type integer: "4111 1111"',
      'invalid input syntax for type integer: "?"',
    ],
    [
      'value "99999999999" is out of range for type integer',
      'value "?" is out of range for type integer',
    ],
    ['relation "no_such_table" does not exist', 'relation "no_such_table" does not exist'],
    [
      'duplicate key value violates unique constraint "users_email_key"',
      'duplicate key value violates unique constraint "users_email_key"',
    ],
    ['column "emali" does not exist', 'column "emali" does not exist'],
    ['syntax error at or near "secret"', 'syntax error at or near "?"'],
  ];
  for (const [message, expected] of cases) {
    it(`turns ${JSON.stringify(message)} into ${JSON.stringify(expected)}`, () => {
      assert.equal(sanitizeDbErrorMessage(message), expected);
    });
  }
});
