import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveWindow } from './time-range.js';
import { formatRoute, many, num, one, parseRoute, withParams } from './url-state.js';

describe('url state', () => {
  it('round-trips every page with its query', () => {
    const urls = [
      '/traces?attr=http.route%3D%2Fa&attr=user%3Dx&minMs=5&service=checkout',
      '/traces/5b8efff798038103d269b633813fc60c?collapsed=a%2Cb&span=eee19b7ec3c1b174&tab=logs',
      '/services?service=frontend',
      '/metrics?name=http.server.request.duration&view=heatmap',
      '/logs?severity=17&text=%3Cimg+src%3Dx%3E',
      '/memory',
      '/runs?a=1&b=2',
      '/status',
    ];
    for (const url of urls) {
      const [path, search = ''] = url.split('?');
      const route = parseRoute(path as string, search);
      assert.notEqual(route.page, 'not-found', url);
      assert.equal(formatRoute(route), url);
    }
  });

  it('reads repeated, numeric and missing parameters', () => {
    const route = parseRoute('/traces', '?attr=a%3D1&attr=b&minMs=2.5&maxMs=x&service=');
    assert.deepEqual(many(route.query, 'attr'), ['a=1', 'b']);
    assert.equal(num(route.query, 'minMs'), 2.5);
    assert.equal(num(route.query, 'maxMs'), undefined);
    assert.equal(one(route.query, 'service'), undefined);
  });

  it('maps / to traces and unknown paths to not-found', () => {
    assert.equal(parseRoute('/', '').page, 'traces');
    assert.equal(parseRoute('/nope', '').page, 'not-found');
    assert.equal(parseRoute('/traces/a/b', '').page, 'not-found');
  });

  it('sets and removes parameters without touching others', () => {
    assert.deepEqual(withParams({ a: ['1'], b: ['2'] }, { a: undefined, c: 'x', d: ['1', '2'] }), {
      b: ['2'],
      c: ['x'],
      d: ['1', '2'],
    });
  });

  it('resolves relative and explicit time windows', () => {
    assert.deepEqual(resolveWindow({ range: ['15m'] }, 1_000_000), {
      start: 100_000,
      end: undefined,
    });
    assert.deepEqual(resolveWindow({ range: ['15m'], start: ['5'], end: ['9'] }, 1_000_000), {
      start: 5,
      end: 9,
    });
    assert.deepEqual(resolveWindow({}, 1), { start: undefined, end: undefined });
  });
});
