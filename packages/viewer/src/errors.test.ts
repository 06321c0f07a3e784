import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES, SightlineError } from './errors.js';

const DOC = new URL('../../../../docs/errors.md', import.meta.url);

describe('viewer error codes', () => {
  it('documents every code in the @sightline/viewer section of docs/errors.md, and no other', () => {
    const section = readFileSync(DOC, 'utf8').split('## `@sightline/viewer`')[1] ?? '';
    const documented = new Set(section.split(/^## /m)[0]?.match(/SIGHTLINE_ERR_[A-Z_]+/g));
    assert.deepEqual([...documented].sort(), Object.keys(ERROR_CODES).sort());
  });

  it('brands errors so instanceof holds across package copies', () => {
    const e = new SightlineError('SIGHTLINE_ERR_VIEWER_OPTION', 'x');
    assert.ok(e instanceof SightlineError);
    assert.match(e.message, /^SIGHTLINE_ERR_VIEWER_OPTION: x$/);
  });
});
