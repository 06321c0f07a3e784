/**
 * The metric names a PromQL expression reads. Not a full parser: it removes what cannot be a metric
 * name (strings, label matchers, range and subquery brackets, grouping label lists, Grafana
 * variables, numbers and durations) and keeps the identifiers that are not functions or keywords.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
  'start',
  'end',
]);

export function metricNamesIn(expr) {
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  // Grafana's label_values(metric, label): the second argument is a label.
  rest = rest.replace(/label_values\s*\(\s*([a-zA-Z_:][\w:]*)\s*,\s*\w+\s*\)/g, ' $1 ');
  const names = new Set();
  for (const match of rest.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const name = match[0];
    const after = rest.slice(match.index + name.length);
    if (/^\s*\(/.test(after)) continue; // a function call
    if (KEYWORDS.has(name.toLowerCase())) continue;
    const before = rest.slice(0, match.index);
    if (/[\d.]$/.test(before)) continue; // the unit of a number or duration, e.g. 1e3, 5m
    names.add(name);
  }
  return [...names];
}

/** Labels every series has (set by Prometheus, or by histograms). */
const UNIVERSAL_LABELS = new Set(['job', 'instance', 'le', '__name__']);

/**
 * The label names an expression (and its Grafana legend) reads: grouping lists (`by`, `without`),
 * label matchers, `label_values(…, label)` and `{{label}}` in the legend. Join clauses (`on`,
 * `ignoring`, `group_left`, `group_right`) are left out: they name labels of the other side.
 */
export function labelNamesIn(expr, legend = '') {
  const labels = new Set();
  const text = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of text.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g))
    for (const l of m[1].split(',')) if (l.trim()) labels.add(l.trim());
  for (const m of text.matchAll(/\{([^}]*)\}/g))
    for (const matcher of m[1].matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) labels.add(matcher[1]);
  for (const m of text.matchAll(/label_values\s*\([^,]*,\s*(\w+)\s*\)/g)) labels.add(m[1]);
  for (const m of legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) labels.add(m[1]);
  return [...labels].filter((l) => !UNIVERSAL_LABELS.has(l));
}
