import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { deployPath } from './paths.mjs';
import { metricNamesIn } from './promql-names.mjs';

/** Every PromQL expression in the dashboards and rule files, with where it is. */
export function promqlExpressions() {
  const found = [];
  const dashboards = deployPath('grafana/dashboards');
  for (const file of readdirSync(dashboards).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(`${dashboards}/${file}`, 'utf8'));
    for (const panel of allPanels(json.panels ?? []))
      for (const target of panel.targets ?? [])
        if (target.expr)
          found.push({
            where: `grafana/dashboards/${file}: ${panel.title}`,
            expr: target.expr,
            legend: target.legendFormat ?? '',
          });
    for (const variable of json.templating?.list ?? [])
      if (variable.definition)
        found.push({
          where: `grafana/dashboards/${file}: variable ${variable.name}`,
          expr: variable.definition,
        });
  }
  for (const rule of rules())
    found.push({
      where: `prometheus/rules/${rule.file}: ${rule.record ?? rule.alert}`,
      expr: rule.expr,
    });
  return found;
}

function allPanels(panels) {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Every rule of deploy/prometheus/rules, flattened, with its file. */
export function rules() {
  const dir = deployPath('prometheus/rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .flatMap((file) =>
      parse(readFileSync(`${dir}/${file}`, 'utf8')).groups.flatMap((g) =>
        g.rules.map((r) => ({ ...r, file, group: g.name })),
      ),
    );
}

/** referenced name → the places that reference it. Recorded rule names are left out. */
export function referencedMetricNames() {
  const recorded = new Set(rules().flatMap((r) => (r.record ? [r.record] : [])));
  const names = new Map();
  for (const { where, expr } of promqlExpressions())
    for (const name of metricNamesIn(expr)) {
      if (recorded.has(name)) continue;
      if (!names.has(name)) names.set(name, []);
      names.get(name).push(where);
    }
  return names;
}
