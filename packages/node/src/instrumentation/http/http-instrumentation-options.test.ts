import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SightlineError } from '../../errors.js';
import {
  type HttpInstrumentationOptions,
  isIgnoredPath,
  resolveHttpOptions,
} from './http-instrumentation-options.js';

describe('HTTP instrumentation options', () => {
  it('defaults to server, client and fetch on, health paths ignored, no headers', () => {
    const options = resolveHttpOptions();
    assert.equal(options.server && options.client && options.fetch, true);
    assert.equal(options.traceResponse, false);
    assert.equal(isIgnoredPath(options, '/healthz'), true);
    assert.equal(isIgnoredPath(options, '/health/deep'), false);
    assert.deepEqual([options.requestHeaders, options.responseHeaders], [[], []]);
    assert.equal(options.knownMethods.has('QUERY'), true);
  });

  it('tests RegExps without the state a global flag would keep', () => {
    const options = resolveHttpOptions({ ignorePaths: [/^\/internal\//g] });
    for (let i = 0; i < 3; i++) assert.equal(isIgnoredPath(options, '/internal/x'), true);
    assert.equal(isIgnoredPath(options, '/health'), false, 'a list replaces the default');
  });

  it('takes a full override of the known methods', () => {
    const options = resolveHttpOptions({ knownMethods: ['GET', 'PROPFIND'] });
    assert.deepEqual([...options.knownMethods], ['GET', 'PROPFIND']);
  });

  it('throws SIGHTLINE_ERR_INVALID_OPTION naming the option', () => {
    const invalid: Array<[string, unknown]> = [
      ['ignorePaths', { ignorePaths: '/health' }],
      ['ignorePaths', { ignorePaths: [42] }],
      ['requestHeaders', { requestHeaders: ['bad header'] }],
      ['knownMethods', { knownMethods: [''] }],
      ['traceResponse', { traceResponse: 'yes' }],
    ];
    for (const [name, options] of invalid) {
      assert.throws(
        () => resolveHttpOptions(options as HttpInstrumentationOptions),
        (error: unknown) =>
          error instanceof SightlineError &&
          error.code === 'SIGHTLINE_ERR_INVALID_OPTION' &&
          error.message.includes(`"${name}"`),
      );
    }
  });
});
