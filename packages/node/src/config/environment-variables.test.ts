import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentVariables } from './environment-variables.js';
import { SETTINGS } from './settings.js';

describe('environmentVariables', () => {
  it('lists every variable of the settings table once, and SIGHTLINE_CONFIG', () => {
    const names = environmentVariables();
    for (const setting of SETTINGS) if (setting.env) assert.ok(names.includes(setting.env));
    assert.ok(names.includes('SIGHTLINE_CONFIG'));
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('OTEL_EXPORTER_OTLP_ENDPOINT'));
  });
});
