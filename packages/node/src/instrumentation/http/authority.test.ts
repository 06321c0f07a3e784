import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import { firstHeaderEntry, setServerAuthority } from './authority.js';

const parse = (authority: string, defaultPort = 80): Attributes => {
  const attributes: Attributes = {};
  setServerAuthority(attributes, authority, defaultPort);
  return attributes;
};

describe('server.address and server.port from an authority', () => {
  it('splits host and port, defaulting the port to the scheme default', () => {
    assert.deepEqual(parse('example.com:8080'), {
      'server.address': 'example.com',
      'server.port': 8080,
    });
    assert.deepEqual(parse('example.com', 443), {
      'server.address': 'example.com',
      'server.port': 443,
    });
  });

  it('handles IPv6 literals, userinfo and invalid ports', () => {
    assert.deepEqual(parse('[::1]:3000'), { 'server.address': '::1', 'server.port': 3000 });
    assert.deepEqual(parse('[::1]'), { 'server.address': '::1', 'server.port': 80 });
    assert.deepEqual(parse('::1'), { 'server.address': '::1', 'server.port': 80 });
    assert.deepEqual(parse('u:p@host:81'), { 'server.address': 'host', 'server.port': 81 });
    assert.deepEqual(parse('host:99999'), { 'server.address': 'host' });
  });

  it('takes the first entry of a forwarding header', () => {
    assert.equal(firstHeaderEntry(' 203.0.113.7 , 10.0.0.1'), '203.0.113.7');
    assert.equal(firstHeaderEntry(['a, b', 'c']), 'a');
    assert.equal(firstHeaderEntry(' , x'), undefined);
    assert.equal(firstHeaderEntry(undefined), undefined);
  });
});
