const SEPARATORS = /([:/.|#,=])/;
const NUMERIC = /^-?\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{12,}$/i;
const MIXED = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{6,}$/;
const TOKEN = /^[A-Za-z0-9_+-]{20,}$/;
const MAX_LENGTH = 256;

/**
 * The pattern of a cache key, with ids replaced by `{id}`: the segments between `:`, `/`, `.`, `|`,
 * `#`, `,` and `=` that are numbers, UUIDs, long hex strings, letter+digit mixes of 6+ characters,
 * tokens of 20+ characters, or contain `@` (e-mail addresses). Low cardinality, and no personal
 * data, by default; `instrumentations.redis.rawKeys` records raw keys instead.
 *
 * @example
 * ```ts
 * keyPattern('user:42:profile'); // 'user:{id}:profile'
 * keyPattern('session:3f2b9c1e-8d4a-4b6e-9f1a-2c3d4e5f6a7b'); // 'session:{id}'
 * ```
 */
export function keyPattern(key: string): string {
  const text = key.length > MAX_LENGTH ? key.slice(0, MAX_LENGTH) : key;
  const parts = text.split(SEPARATORS);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    // Odd indexes are the separators themselves.
    out += i % 2 === 1 || !isId(part) ? part : '{id}';
  }
  return key.length > MAX_LENGTH ? `${out}…` : out;
}

function isId(segment: string): boolean {
  if (segment === '') return false;
  return (
    NUMERIC.test(segment) ||
    UUID.test(segment) ||
    HEX.test(segment) ||
    MIXED.test(segment) ||
    TOKEN.test(segment) ||
    segment.includes('@')
  );
}
