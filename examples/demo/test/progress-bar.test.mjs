import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressBar } from '../src/load/progress-bar.mjs';

const stream = (isTTY) => {
  const chunks = [];
  return { isTTY, chunks, write: (text) => chunks.push(text) };
};
const stats = (requests, errors = 0) => ({ requests, errors, failures: 0 });

describe('progress bar', () => {
  it('redraws one line in place on a terminal', () => {
    const out = stream(true);
    const bar = createProgressBar(out, 20_000);
    bar.update(10_000, stats(100, 2));
    bar.update(20_000, stats(200, 3));
    bar.done();
    assert.ok(out.chunks.slice(0, 2).every((c) => c.startsWith('\r')));
    assert.match(out.chunks[0], /\[#{15}\.{15}\]\s+10s\/20s {2}100 requests {2}2 errors/);
    assert.match(out.chunks[1], /\[#{30}\]\s+20s\/20s {2}200 requests {2}3 errors/);
    assert.equal(out.chunks.at(-1), '\n');
  });

  it('prints a plain line every 5 s, and the last one once, when not a terminal', () => {
    const out = stream(false);
    const bar = createProgressBar(out, 20_000);
    for (let t = 0; t <= 20_000; t += 250) bar.update(t, stats(t / 100));
    bar.update(20_000, stats(200));
    bar.done();
    assert.equal(out.chunks.length, 5, out.chunks.join(''));
    assert.ok(out.chunks.every((c) => !c.includes('\r') && c.endsWith('\n')));
    assert.match(out.chunks.at(-1), /load 100%\s+20s\/20s {2}200 requests/);
  });
});
