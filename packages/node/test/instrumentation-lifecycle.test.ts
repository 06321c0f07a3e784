import assert from 'node:assert/strict';
import { hasSubscribers } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { init } from '../src/index.js';

const require = createRequire(import.meta.url);

type Wrapped = { __wrapped?: boolean };

describe('instrumentations and the SDK lifecycle', () => {
  it('patches at init() and unpatches at shutdown()', async () => {
    const sightline = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const pg = require('pg');
    const express = require('express');
    assert.equal((pg.Client.prototype.query as Wrapped).__wrapped, true, 'pg query patched');
    assert.equal((express.Router.prototype.route as Wrapped).__wrapped, true, 'express patched');
    // The HTTP and fastify instrumentations are diagnostics_channel subscribers.
    assert.equal(hasSubscribers('http.server.request.start'), true);
    assert.equal(hasSubscribers('tracing:fastify.request.handler:start'), true);

    await sightline.shutdown();
    assert.equal((pg.Client.prototype.query as Wrapped).__wrapped, undefined, 'pg query restored');
    assert.equal((express.Router.prototype.route as Wrapped).__wrapped, undefined);
    assert.equal(hasSubscribers('http.server.request.start'), false);
    assert.equal(hasSubscribers('tracing:fastify.request.handler:start'), false);
  });
});
