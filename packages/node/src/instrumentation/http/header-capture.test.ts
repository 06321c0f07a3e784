import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import {
  captureHeaders,
  contentLength,
  fromHeaders,
  headerCaptures,
  rawHeaderValues,
} from './header-capture.js';

describe('header capture', () => {
  it('copies only allow-listed headers, lowercased, as arrays of strings', () => {
    const attributes: Attributes = {};
    const captures = headerCaptures(['X-Tenant', 'x-tenant', 'Set-Cookie', 'x-absent'], 'response');
    assert.deepEqual(
      captures.map((c) => c.attribute),
      [
        'http.response.header.x-tenant',
        'http.response.header.set-cookie',
        'http.response.header.x-absent',
      ],
    );
    captureHeaders(
      attributes,
      captures,
      { 'x-tenant': 'acme', 'set-cookie': ['a=1', 'b=2'], authorization: 'secret' },
      fromHeaders,
    );
    assert.deepEqual(attributes, {
      'http.response.header.x-tenant': ['acme'],
      'http.response.header.set-cookie': ['a=1', 'b=2'],
    });
  });

  it("reads undici's flat header lists (strings or Buffers) and raw header text", () => {
    const raw = [Buffer.from('Content-Length'), Buffer.from('12'), 'X-A', '1', 'x-a', '2'];
    assert.deepEqual(rawHeaderValues(raw, 'content-length'), ['12']);
    assert.deepEqual(rawHeaderValues(raw, 'x-a'), ['1', '2']);
    assert.equal(rawHeaderValues(raw, 'x-b'), undefined);
    assert.deepEqual(rawHeaderValues('x-a: 1\r\nContent-Type: text/plain\r\n', 'content-type'), [
      'text/plain',
    ]);
  });

  it('parses content-length values', () => {
    assert.equal(contentLength('42'), 42);
    assert.equal(contentLength(7), 7);
    assert.equal(contentLength(['3']), 3);
    assert.equal(contentLength('-1'), undefined);
    assert.equal(contentLength('abc'), undefined);
    assert.equal(contentLength(undefined), undefined);
  });
});
