import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededIdGenerator, seededRandom } from '../../test/support/sampling-harness.js';
import { keepsTraceId, keepsTraceIdWords, traceIdThreshold } from './trace-id-ratio.js';
import { traceIdWords } from './trace-id-words.js';

/** The reference: the last 56 bits as two 28-bit halves, parsed from substrings. */
function reference(traceId: string, ratio: number): boolean {
  const t = traceIdThreshold(ratio);
  if (ratio >= 1) return true;
  const high = Number.parseInt(traceId.slice(18, 25), 16);
  const low = Number.parseInt(traceId.slice(25, 32), 16);
  return high > t.high || (high === t.high && low >= t.low);
}

describe('trace id ratio', () => {
  it('answers from the string and from the parsed words as the substring reference does', () => {
    const ids = new SeededIdGenerator(seededRandom(5));
    const key = new Uint32Array(4);
    for (const ratio of [0.001, 0.1, 0.5, 0.9]) {
      const threshold = traceIdThreshold(ratio);
      for (let i = 0; i < 20_000; i++) {
        const id = ids.generateTraceId();
        traceIdWords(id, key, 0);
        const expected = reference(id, ratio);
        assert.equal(keepsTraceId(id, threshold), expected, id);
        assert.equal(keepsTraceIdWords(key, 0, threshold), expected, id);
      }
    }
    // Upper-case digits are hex digits too.
    const upper = '4BF92F3577B34DA6A3CE929D0E0E4736';
    assert.equal(keepsTraceId(upper, traceIdThreshold(0.5)), reference(upper, 0.5));
  });

  it('does not keep an invalid id unless the ratio is 1', () => {
    const threshold = traceIdThreshold(0.99);
    assert.equal(keepsTraceId('4bf92f3577b34da6a3ce929d0e0e47zz', threshold), false);
    assert.equal(keepsTraceId('4bf92f3577b34da6', threshold), false);
    assert.equal(keepsTraceId('not an id', traceIdThreshold(1)), true);
  });
});
