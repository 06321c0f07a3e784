import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactQuery, redactTarget, redactUrl } from './redact-url.js';

describe('URL redaction', () => {
  it('redacts the values of sensitive query keys and keeps the keys', () => {
    assert.equal(redactQuery('q=shoes&token=abc&sig=x'), 'q=shoes&token=REDACTED&sig=REDACTED');
    assert.equal(
      redactQuery('X-Amz-Signature=1&AWSAccessKeyId=2&X-Goog-Signature=3'),
      'X-Amz-Signature=REDACTED&AWSAccessKeyId=REDACTED&X-Goog-Signature=REDACTED',
    );
  });

  it('matches keys case-insensitively and percent-decoded', () => {
    assert.equal(redactQuery('Token=a&API%5FKEY=b'), 'Token=REDACTED&API%5FKEY=REDACTED');
  });

  it('returns the very same string when nothing is sensitive', () => {
    const query = 'page=2&sort=asc&flag&=x&token=';
    assert.equal(redactQuery(query), query);
    assert.equal(redactQuery(''), '');
  });

  it('redacts only the query of a target, keeping path and fragment', () => {
    assert.equal(redactTarget('/a/b'), '/a/b');
    assert.equal(redactTarget('/a?password=p#frag'), '/a?password=REDACTED#frag');
  });

  it('replaces userinfo in absolute URLs (semconv: url.full carries no credentials)', () => {
    assert.equal(
      redactUrl('https://user:pass@example.com:8443/x?sig=s'),
      'https://REDACTED:REDACTED@example.com:8443/x?sig=REDACTED',
    );
    assert.equal(redactUrl('http://example.com/@me'), 'http://example.com/@me');
  });
});
