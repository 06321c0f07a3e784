import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { METRIC, METRICS } from './metric-catalogue.js';

const DOC = readFileSync(new URL('../../../../../docs/metrics.md', import.meta.url), 'utf8');

/** The rows of the tables in docs/metrics.md, by metric name. */
function documentedRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of DOC.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name !== undefined) rows.set(name, cells.slice(1, -1));
  }
  return rows;
}

describe('metric catalogue', () => {
  it('has one entry per name, and a constant for each', () => {
    const names = METRICS.map((m) => m.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(new Set(Object.values(METRIC)), new Set(names));
  });

  it('is listed in docs/metrics.md with the same type, unit, attributes and layer', () => {
    const rows = documentedRows();
    for (const metric of METRICS) {
      const row = rows.get(metric.name);
      assert.ok(row, `${metric.name} is missing from docs/metrics.md`);
      const [, type, unit, attributes, layer] = row;
      assert.equal(type, metric.type, `${metric.name}: type`);
      assert.equal(unit, `\`${metric.unit}\``, `${metric.name}: unit`);
      assert.deepEqual(
        (attributes ?? '').match(/`[^`]+`/g)?.map((a) => a.slice(1, -1)) ?? [],
        [...metric.attributes],
        `${metric.name}: attributes`,
      );
      assert.equal(layer, metric.layer, `${metric.name}: layer`);
    }
  });
});
