import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyPattern } from './key-pattern.js';
import { redisStatement } from './redis-statement.js';

describe('keyPattern', () => {
  const cases: Array<[string, string]> = [
    ['user:42', 'user:{id}'],
    ['user:42:profile', 'user:{id}:profile'],
    ['session:3f2b9c1e-8d4a-4b6e-9f1a-2c3d4e5f6a7b', 'session:{id}'],
    ['cart/5f8d0d55b54764421b7156c9/items', 'cart/{id}/items'],
    ['token:a1b2c3d4', 'token:{id}'],
    ['email:alice@example.com', 'email:{id}.com'],
    ['rate-limit:ip=10.1.2.3', 'rate-limit:ip={id}.{id}.{id}.{id}'],
    ['config:feature_flags', 'config:feature_flags'],
    ['v2:users:list', 'v2:users:list'],
    ['jwt:eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'jwt:{id}'],
  ];
  for (const [key, pattern] of cases) {
    it(`turns ${key} into ${pattern}`, () => assert.equal(keyPattern(key), pattern));
  }

  it('bounds the length of what it records', () => {
    const pattern = keyPattern(`k:${'x'.repeat(1000)}`);
    assert.ok(pattern.length <= 260);
  });
});

describe('redisStatement', () => {
  it('keeps keys as patterns and every other argument as ?', () => {
    assert.equal(redisStatement('set', ['user:42', 'Ada', 'EX', 60], false), 'SET user:{id} ? ? ?');
    assert.equal(redisStatement('mset', ['a:1', 'x', 'b:2', 'y'], false), 'MSET a:{id} ? b:{id} ?');
    assert.equal(redisStatement('del', ['a:1', 'b:2'], false), 'DEL a:{id} b:{id}');
    assert.equal(redisStatement('auth', ['user', 'hunter2'], false), 'AUTH ? ?');
    assert.equal(redisStatement('ping', [], false), 'PING');
    assert.equal(redisStatement('get', [Buffer.from('user:7')], false), 'GET user:{id}');
    assert.equal(redisStatement('get', ['user:42'], true), 'GET user:42');
  });

  it('never throws, whatever the arguments', () => {
    const hostile = {
      toString(): string {
        throw new Error('no');
      },
    };
    assert.equal(redisStatement('get', [hostile], false), 'GET');
  });
});
