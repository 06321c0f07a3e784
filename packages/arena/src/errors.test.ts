import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ARENA_ERROR_CODES, ArenaError, ArenaFullError } from './errors.js';

const DOC = new URL('../../../../docs/errors.md', import.meta.url);

/** The `@sightline/arena` section of docs/errors.md: from its heading to the next `## `. */
function arenaSection(doc: string): string {
  const start = doc.indexOf('## `@sightline/arena`');
  assert.notEqual(start, -1, 'docs/errors.md has no "## `@sightline/arena`" section');
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

describe('arena error codes', () => {
  it('documents every code in the @sightline/arena section of docs/errors.md, and no other', () => {
    const section = arenaSection(readFileSync(DOC, 'utf8'));
    const documented = new Set(section.match(/SIGHTLINE_ERR_[A-Z_]+/g));
    assert.deepEqual([...documented].sort(), Object.keys(ARENA_ERROR_CODES).sort());
  });

  it('prefixes every code with SIGHTLINE_ERR_ARENA_', () => {
    for (const code of Object.keys(ARENA_ERROR_CODES)) assert.match(code, /^SIGHTLINE_ERR_ARENA_/);
  });

  it('recognises errors from another copy of the package through global brands', () => {
    const foreign = Object.create(Error.prototype, {
      [Symbol.for('sightline.arena.error')]: { value: true },
    });
    assert.ok(foreign instanceof ArenaError);
    assert.ok(!(foreign instanceof ArenaFullError));
    assert.ok(!(new Error('plain') instanceof ArenaError));
    const full = new ArenaFullError('a', 8, 'fixed capacity 8 bytes, 8 used');
    assert.ok(full instanceof ArenaFullError);
    assert.ok(full instanceof ArenaError);
    assert.equal(full.code, 'SIGHTLINE_ERR_ARENA_FULL');
    // The brand @sightline/node's SightlineError checks: one `instanceof` for every Sightline error.
    assert.equal((full as unknown as Record<symbol, unknown>)[Symbol.for('sightline.error')], true);
  });
});
