import { keyPattern } from './key-pattern.js';

// Commands whose every argument is a key, whose arguments alternate key and value, or that take no key.
const ALL_KEYS = new Set([
  'MGET',
  'DEL',
  'EXISTS',
  'UNLINK',
  'TOUCH',
  'WATCH',
  'SINTER',
  'SUNION',
  'SDIFF',
  'PFCOUNT',
]);
const KEY_VALUE_PAIRS = new Set(['MSET', 'MSETNX']);
const NO_KEY = new Set([
  'AUTH',
  'HELLO',
  'PING',
  'ECHO',
  'INFO',
  'SELECT',
  'CLIENT',
  'CONFIG',
  'COMMAND',
  'QUIT',
  'RESET',
  'DBSIZE',
  'FLUSHDB',
  'FLUSHALL',
  'TIME',
  'SCAN',
  'MULTI',
  'EXEC',
  'DISCARD',
  'EVAL',
  'EVALSHA',
  'FCALL',
  'SCRIPT',
  'FUNCTION',
  'PUBLISH',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'UNSUBSCRIBE',
  'CLUSTER',
]);

/** A key as recorded: its pattern (`user:{id}`) by default, the raw key only when asked. */
export function recordedKey(key: unknown, rawKeys: boolean): string {
  const text = typeof key === 'string' ? key : Buffer.isBuffer(key) ? key.toString() : String(key);
  return rawKeys ? text : keyPattern(text);
}

/**
 * `db.query.text` of a Redis command: the command name, its keys as patterns, and `?` for every
 * other argument, so neither values nor ids (nor AUTH secrets) are recorded.
 *
 * @example
 * ```ts
 * redisStatement('set', ['user:42', '{"name":"Ada"}', 'EX', '60'], false); // 'SET user:{id} ? ? ?'
 * ```
 */
export function redisStatement(
  command: string,
  args: readonly unknown[],
  rawKeys: boolean,
): string {
  // The ioredis instrumentation calls this unguarded, on the app's own call path: it must not throw.
  try {
    return statement(String(command).toUpperCase(), args, rawKeys);
  } catch {
    return String(command).toUpperCase();
  }
}

function statement(name: string, args: readonly unknown[], rawKeys: boolean): string {
  if (args.length === 0) return name;
  if (NO_KEY.has(name)) return `${name}${' ?'.repeat(args.length)}`;
  let out = name;
  for (let i = 0; i < args.length; i++) {
    const isKey = ALL_KEYS.has(name) || (KEY_VALUE_PAIRS.has(name) ? i % 2 === 0 : i === 0);
    out += isKey ? ` ${recordedKey(args[i], rawKeys)}` : ' ?';
  }
  return out;
}
