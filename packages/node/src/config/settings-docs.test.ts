import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SETTINGS } from './settings.js';

const DOC = readFileSync(new URL('../../../../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('documents every option by its path and its environment variable', () => {
    const missing = SETTINGS.flatMap((s) => [
      `\`${s.path}\``,
      ...(s.env ? [`\`${s.env}\``] : []),
    ]).filter((name) => !DOC.includes(name));
    assert.deepEqual(missing, []);
  });

  it('documents no OTEL_ or SIGHTLINE_ variable that the SDK does not read', () => {
    const known = new Set([...SETTINGS.flatMap((s) => (s.env ? [s.env] : [])), 'SIGHTLINE_CONFIG']);
    // Variables the doc mentions only to say they are not read here, or that belong to other tools.
    const documentedElsewhere = /^(SIGHTLINE_ERR_[A-Z_]+|.*_)$/;
    const mentioned = new Set(DOC.match(/\b(?:OTEL|SIGHTLINE)_[A-Z0-9_]+\b/g));
    const unknown = [...mentioned].filter(
      (name) => !known.has(name) && !documentedElsewhere.test(name),
    );
    assert.deepEqual(unknown, []);
  });
});
