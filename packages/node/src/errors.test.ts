import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES, SightlineError } from './errors.js';

const DOC = new URL('../../../../docs/errors.md', import.meta.url);

describe('error codes', () => {
  it('documents every code in docs/errors.md, and documents no code that does not exist', () => {
    // Other packages (e.g. @sightline/arena) list their own codes in their own `## ` sections.
    const doc = readFileSync(DOC, 'utf8')
      .split(/\n(?=## )/)
      .filter((section) => !/^## `@sightline\/(?!node`)/.test(section))
      .join('\n');
    const documented = new Set(doc.match(/SIGHTLINE_ERR_[A-Z_]+/g));
    assert.deepEqual([...documented].sort(), Object.keys(ERROR_CODES).sort());
  });

  it('recognises a SightlineError from another copy of the package', () => {
    // A copy loaded twice has its own class object but brands its errors with the same global symbol.
    const foreign = Object.create(Error.prototype, {
      [Symbol.for('sightline.error')]: { value: true },
    });
    assert.ok(foreign instanceof SightlineError);
    assert.ok(!(new Error('plain') instanceof SightlineError));
    assert.ok(new SightlineError('SIGHTLINE_ERR_CONFIG_FILE', 'x') instanceof SightlineError);
  });
});
