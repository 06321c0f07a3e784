import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { DASHBOARDS } from '../grafana/build-dashboards.mjs';
import { deployPath } from './support/paths.mjs';
import { metricNamesIn } from './support/promql-names.mjs';

const files = readdirSync(deployPath('grafana/dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = files.map((file) => ({
  file,
  json: JSON.parse(readFileSync(deployPath(`grafana/dashboards/${file}`), 'utf8')),
}));

describe('grafana dashboards', () => {
  it('are the output of grafana/build-dashboards.mjs', () => {
    assert.deepEqual(files.sort(), Object.keys(DASHBOARDS).sort());
    for (const { file, json } of dashboards)
      assert.deepEqual(
        json,
        JSON.parse(JSON.stringify(DASHBOARDS[file])),
        `${file}: run node deploy/grafana/build-dashboards.mjs`,
      );
  });

  it('cover service RED, runtime memory with the leak verdict, the arena and SDK health', () => {
    const titles = dashboards.map(({ json }) => json.title).sort();
    assert.deepEqual(titles, [
      'Sightline / Arena',
      'Sightline / Runtime memory',
      'Sightline / SDK health',
      'Sightline / Service RED',
    ]);
    const memory = dashboards.find(({ json }) => json.uid === 'sightline-runtime-memory').json;
    const verdict = memory.panels.find((p) => p.title === 'Leak verdict');
    assert.match(verdict.targets[0].expr, /sightline_memory_leak_severity/);
  });

  it('have unique uids and panel ids, and panels that do not overlap', () => {
    assert.equal(new Set(dashboards.map(({ json }) => json.uid)).size, dashboards.length);
    for (const { file, json } of dashboards) {
      const ids = json.panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, file);
      const cells = new Set();
      for (const { gridPos: g, title } of json.panels) {
        assert.ok(g.x + g.w <= 24, `${file}: ${title} fits the width`);
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${file}: ${title} overlaps another panel`);
            cells.add(`${x},${y}`);
          }
      }
    }
  });

  it('query a provisioned datasource, and every query reads at least one metric', () => {
    const datasources = parse(
      readFileSync(deployPath('grafana/provisioning/datasources/datasources.yaml'), 'utf8'),
    ).datasources;
    const uids = new Set(datasources.map((d) => d.uid));
    for (const { file, json } of dashboards)
      for (const panel of json.panels.filter((p) => p.type !== 'row')) {
        assert.ok(uids.has(panel.datasource.uid), `${file}: ${panel.title}`);
        assert.ok(panel.targets.length > 0, `${file}: ${panel.title} has queries`);
        for (const target of panel.targets) {
          assert.ok(uids.has(target.datasource.uid));
          assert.ok(
            metricNamesIn(target.expr).length > 0,
            `${file}: ${panel.title}: ${target.expr}`,
          );
        }
      }
  });

  it('are provisioned from the directory compose mounts', () => {
    const provider = parse(
      readFileSync(deployPath('grafana/provisioning/dashboards/dashboards.yaml'), 'utf8'),
    ).providers[0];
    const compose = parse(readFileSync(deployPath('compose/compose.yaml'), 'utf8'), {
      merge: true,
    });
    const mount = compose.services.grafana.volumes.find((v) =>
      v.endsWith(`:${provider.options.path}:ro`),
    );
    assert.ok(mount, `compose mounts ${provider.options.path}`);
    assert.ok(existsSync(deployPath(`compose/${mount.split(':')[0]}`)));
  });
});
