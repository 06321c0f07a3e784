import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SightlineOptions } from '../config/options.js';
import { resolveConfig } from '../config/resolve.js';
import { SightlineError } from '../errors.js';
import { INSTRUMENTATION_NAMES } from './names.js';
import { INSTRUMENTATIONS } from './registry.js';
import { selectInstrumentations } from './select-instrumentations.js';

function select(env: Record<string, string>, options?: SightlineOptions) {
  const warnings: string[] = [];
  const config = resolveConfig({ env, options });
  const names = selectInstrumentations(config.instrumentations, (m) => warnings.push(m));
  return { names, warnings };
}

describe('selecting instrumentations', () => {
  it('runs every instrumentation by default', () => {
    assert.deepEqual(select({}).names, [...INSTRUMENTATION_NAMES]);
  });

  it('keeps only OTEL_NODE_ENABLED_INSTRUMENTATIONS, then removes OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
    const { names, warnings } = select({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'pg,http,redis',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'redis',
    });
    assert.deepEqual(names, ['http', 'pg']);
    assert.deepEqual(warnings, []);
  });

  it('warns about an unknown name, naming the variable, and honours the others', () => {
    const { names, warnings } = select({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,mysql',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafka',
    });
    assert.deepEqual(names, ['http']);
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0] ?? '',
      /OTEL_NODE_ENABLED_INSTRUMENTATIONS names unknown instrumentation "mysql"/,
    );
    assert.match(
      warnings[1] ?? '',
      /OTEL_NODE_DISABLED_INSTRUMENTATIONS names unknown instrumentation "kafka"/,
    );
  });

  it('lets code options win over the environment, and [] turns everything off', () => {
    assert.deepEqual(
      select({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' }, { instrumentations: { enabled: [] } })
        .names,
      [],
    );
    assert.deepEqual(
      select({}, { instrumentations: { disabled: ['express', 'fastify'] } }).names,
      INSTRUMENTATION_NAMES.filter((n) => n !== 'express' && n !== 'fastify'),
    );
  });

  it('throws SIGHTLINE_ERR_INVALID_OPTION for an unknown name in code', () => {
    assert.throws(
      () =>
        resolveConfig({ env: {}, options: { instrumentations: { enabled: ['mysql' as 'pg'] } } }),
      (error: unknown) =>
        error instanceof SightlineError &&
        error.code === 'SIGHTLINE_ERR_INVALID_OPTION' &&
        /instrumentations\.enabled/.test(error.message) &&
        /mysql/.test(error.message),
    );
  });

  it('has a registry entry for every name except the log correlations still to come', () => {
    const missing = INSTRUMENTATION_NAMES.filter((n) => INSTRUMENTATIONS[n] === undefined);
    assert.deepEqual(
      missing.filter((n) => n !== 'pino' && n !== 'winston'),
      [],
    );
  });
});
