/** The id of an origin (resource + scope): a 64-bit hash of its texts, so equal origins share one row. */
import type { Origin } from './rows.js';

/** Sets and returns `o.id` (computed once per origin object). */
export function originId(o: Origin): bigint {
  if (o.id !== undefined) return o.id;
  o.id = fnv1a64(
    `${o.resource}\u0000${o.scopeName}\u0000${o.scopeVersion}\u0000${o.scopeAttributes}`,
  );
  return o.id;
}

/** 64-bit FNV-1a of a string's UTF-16 code units (computed once per ScopeSpans block). */
function fnv1a64(text: string): bigint {
  // two independent 32-bit FNV-1a lanes (different offset bases), joined into 64 bits
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0);
}
