import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitAbsoluteUrl } from './absolute-url.js';

describe('absolute URLs', () => {
  it('splits scheme, authority and the rest', () => {
    assert.deepEqual(splitAbsoluteUrl('HTTPS://u:p@[::1]:8443/a?b#c'), {
      scheme: 'https',
      authority: 'u:p@[::1]:8443',
      rest: '/a?b#c',
    });
    assert.deepEqual(splitAbsoluteUrl('http://example.com'), {
      scheme: 'http',
      authority: 'example.com',
      rest: '',
    });
    assert.deepEqual(splitAbsoluteUrl('http://example.com?q'), {
      scheme: 'http',
      authority: 'example.com',
      rest: '?q',
    });
  });

  it('is undefined for origin-form targets', () => {
    assert.equal(splitAbsoluteUrl('/path?next=http://x'), undefined);
    assert.equal(splitAbsoluteUrl('*'), undefined);
  });
});
