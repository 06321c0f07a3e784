/**
 * Memory: heap, RSS, external memory and GC per service instance from the SDK's memory metrics, the
 * leak detector's verdict (severity, growth rate), and arena capacity, use and fragmentation.
 */
import { useMemo } from 'preact/hooks';
import { api, type MetricSeriesResponse, type MetricSummary } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { alignSeries, seriesLabel } from '../charts/align-series.js';
import { lineColor } from '../charts/palette.js';
import { TimeChart } from '../charts/time-chart.js';
import { Link } from '../components/link.js';
import { RangeSelect, ServiceSelect } from '../components/scope-controls.js';
import { Empty, ErrorBox, Loading } from '../components/status.js';
import { formatValue, formatWithUnit } from '../format/format.js';
import {
  LEAK_SEVERITIES,
  type LeakReading,
  leakVerdict,
  type MemoryPanel,
  memoryPanel,
  PANEL_TITLES,
} from '../memory/memory-metrics.js';
import { pointValue, statsFor } from '../metrics/metric-values.js';
import { resolveWindow } from '../router/time-range.js';
import { one, type Query, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';

const ORDER: MemoryPanel[] = ['heap', 'rss', 'external', 'gc', 'other'];

function instanceLabel(
  service: string,
  resource: Record<string, unknown>,
  attributes: Record<string, unknown>,
): string {
  const instance = resource['service.instance.id'];
  const base = instance ? `${service} ${String(instance).slice(0, 8)}` : service;
  return seriesLabel(base, attributes);
}

/** The `instance` URL parameter as an attribute filter on the resource's service.instance.id. */
function instanceAttr(q: Query): string[] {
  const instance = one(q, 'instance');
  return instance ? [`service.instance.id=${instance}`] : [];
}

function useSeries(name: string, q: Query) {
  const service = one(q, 'service');
  return useApi(
    (signal) => {
      const w = resolveWindow(q, Date.now());
      return api.series(
        { name, service, attr: instanceAttr(q), start: w.start, end: w.end, width: 200, limit: 40 },
        signal,
      );
    },
    [name, service, one(q, 'instance'), one(q, 'range'), one(q, 'start'), one(q, 'end')],
  );
}

/** Instances seen in one metric's series (by service.instance.id), for the instance picker. */
function InstanceSelect({
  metric,
  q,
  onChange,
}: {
  metric: string | undefined;
  q: Query;
  onChange: (v: string) => void;
}) {
  const service = one(q, 'service');
  const series = useApi(
    (signal) =>
      metric
        ? api.series({ name: metric, service, width: 2, limit: 500 }, signal)
        : Promise.resolve(undefined),
    [metric, service],
  );
  const ids = new Set<string>();
  for (const s of series.data?.series ?? []) {
    const id = s.resource['service.instance.id'];
    if (id !== undefined && id !== null && id !== '') ids.add(String(id));
  }
  const value = one(q, 'instance');
  if (value) ids.add(value);
  return (
    <label>
      Instance
      <select
        name="instance"
        value={value ?? ''}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">all instances</option>
        {[...ids].sort().map((id) => (
          <option key={id} value={id}>
            {id}
          </option>
        ))}
      </select>
    </label>
  );
}

function MemoryChart({
  metric,
  q,
  theme,
  title,
}: {
  metric: MetricSummary;
  q: Query;
  theme: string;
  title: string;
}) {
  const series = useSeries(metric.name, q);
  const data = series.data;
  const stat =
    statsFor(metric.type, metric.temporality, metric.isMonotonic)[metric.type === 'sum' ? 1 : 0] ??
    'avg';
  const chart = useMemo(() => {
    if (!data) return undefined;
    const aligned = alignSeries(data.series, (p, prev) => pointValue(data.type, stat, p, prev));
    return {
      xs: aligned.xs,
      series: data.series.map((s, i) => ({
        label: instanceLabel(s.service, s.resource, s.attributes),
        values: aligned.values[i] ?? [],
        color: lineColor(i),
      })),
    };
  }, [data, stat]);
  return (
    <div class="card chart-card" data-metric={metric.name}>
      <h2>{title}</h2>
      <h3>
        <Link
          to={{
            page: 'metrics',
            query: {
              name: [metric.name],
              ...(one(q, 'service') ? { service: [one(q, 'service') as string] } : {}),
            },
          }}
        >
          {metric.name}
        </Link>{' '}
        <span class="muted small">{`${stat}${metric.unit ? ` · ${metric.unit}` : ''}`}</span>
      </h3>
      <ErrorBox error={series.error} />
      {chart && chart.xs.length > 0 ? (
        <TimeChart
          label={metric.name}
          theme={theme}
          xs={chart.xs}
          series={chart.series}
          yFormat={(v) => formatWithUnit(v, metric.unit)}
          height={170}
        />
      ) : (
        <Loading when={series.loading} />
      )}
    </div>
  );
}

function latestReadings(responses: (MetricSeriesResponse | undefined)[]): LeakReading[] {
  const out: LeakReading[] = [];
  for (const r of responses) {
    if (!r) continue;
    for (const s of r.series) {
      const last = s.points[s.points.length - 1];
      const value = last?.last ?? last?.avg;
      if (value === undefined) continue;
      out.push({
        name: r.name,
        unit: r.unit,
        value,
        attributes: { ...s.attributes, 'service.name': s.service },
      });
    }
  }
  return out;
}

function LeakCard({ metrics, q }: { metrics: MetricSummary[]; q: Query }) {
  const service = one(q, 'service');
  const names = metrics.map((m) => m.name);
  const all = useApi(
    (signal) => {
      const w = resolveWindow(q, Date.now());
      return Promise.all(
        names.map((name) =>
          api.series(
            {
              name,
              service,
              attr: instanceAttr(q),
              start: w.start,
              end: w.end,
              width: 50,
              limit: 50,
            },
            signal,
          ),
        ),
      );
    },
    [names.join(','), service, one(q, 'instance'), one(q, 'range')],
  );
  const verdict = leakVerdict(latestReadings(all.data ?? []));
  return (
    <section class={`card leak-card sev-${verdict.severity}`} aria-label="leak verdict">
      <h2>Leak detector</h2>
      <ErrorBox error={all.error} />
      <p class="verdict">
        {verdict.suspected ? 'Leak suspected: ' : 'No leak detected: '}
        <span class={`badge sev-${verdict.severity}`}>{`severity ${verdict.severity}`}</span>
        {verdict.growth ? (
          <span>{` growth ${formatWithUnit(verdict.growth.value, verdict.growth.unit)}`}</span>
        ) : null}
      </p>
      <table class="kv">
        <tbody>
          {verdict.readings.map((r, i) => (
            <tr key={i}>
              <th>{r.name}</th>
              <td>
                {r.name.endsWith('severity')
                  ? (LEAK_SEVERITIES[Math.round(r.value)] ?? String(r.value))
                  : formatWithUnit(r.value, r.unit)}
              </td>
              <td class="muted small">
                {Object.entries(r.attributes)
                  .map(([k, v]) => `${k}=${formatValue(v)}`)
                  .join(' ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ArenaTable({ metrics, q }: { metrics: MetricSummary[]; q: Query }) {
  const service = one(q, 'service');
  const wanted = metrics.filter((m) =>
    /\.(capacity|used|fragmentation|high_water_mark|allocated)$/.test(m.name),
  );
  const all = useApi(
    (signal) =>
      Promise.all(
        wanted.map((m) =>
          api.series(
            { name: m.name, service, attr: instanceAttr(q), width: 20, limit: 100 },
            signal,
          ),
        ),
      ),
    [wanted.map((m) => m.name).join(','), service, one(q, 'instance')],
  );
  const rows = new Map<string, Record<string, { value: number; unit: string }>>();
  for (const r of all.data ?? []) {
    const column = r.name.slice(r.name.lastIndexOf('.') + 1);
    for (const s of r.series) {
      const arena = String(
        s.attributes['sightline.arena.name'] ?? seriesLabel(s.service, s.attributes),
      );
      const last = s.points[s.points.length - 1];
      const value = last?.last ?? last?.avg;
      if (value === undefined) continue;
      const row = rows.get(arena) ?? {};
      row[column] = { value, unit: r.unit };
      rows.set(arena, row);
    }
  }
  const columns = ['capacity', 'used', 'high_water_mark', 'fragmentation'];
  return (
    <table class="results" aria-label="arenas">
      <thead>
        <tr>
          <th>Arena</th>
          {columns.map((c) => (
            <th key={c} class="num">
              {c.replace(/_/g, ' ')}
            </th>
          ))}
          <th>use</th>
        </tr>
      </thead>
      <tbody>
        {[...rows.entries()].map(([arena, row]) => {
          const used = row.used?.value;
          const capacity = row.capacity?.value;
          const share = used !== undefined && capacity ? Math.min(1, used / capacity) : undefined;
          return (
            <tr key={arena}>
              <td class="op">{arena}</td>
              {columns.map((c) => (
                <td key={c} class="num">
                  {row[c] ? formatWithUnit(row[c].value, row[c].unit) : '–'}
                </td>
              ))}
              <td>
                {share !== undefined ? (
                  <span class="use-bar">
                    <span style={{ width: `${share * 100}%` }} />
                  </span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function MemoryPage({ route, theme }: { route: Route; theme: string }) {
  const q = route.query;
  const service = one(q, 'service');
  const metrics = useApi((signal) => api.metrics(service, undefined, signal), [service]);
  const groups = new Map<MemoryPanel, MetricSummary[]>();
  for (const m of metrics.data?.metrics ?? []) {
    const panel = memoryPanel(m.name);
    if (!panel) continue;
    const list = groups.get(panel) ?? [];
    list.push(m);
    groups.set(panel, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const set = (changes: Record<string, string | undefined>) =>
    navigate({ page: 'memory', query: withParams(q, changes) });
  const leak = groups.get('leak') ?? [];
  const arena = groups.get('arena') ?? [];
  const arenaCharts = arena.filter((m) => /\.(capacity|used|fragmentation)$/.test(m.name));
  return (
    <section class="page memory-page">
      <h1>Memory</h1>
      <div class="filters">
        <ServiceSelect value={service} onChange={(v) => set({ service: v, instance: undefined })} />
        <InstanceSelect
          metric={(groups.get('heap') ?? groups.get('rss') ?? [...groups.values()][0])?.[0]?.name}
          q={q}
          onChange={(v) => set({ instance: v })}
        />
        <RangeSelect
          query={q}
          onChange={(r) => set({ range: r, start: undefined, end: undefined })}
        />
        <Loading when={metrics.loading} />
      </div>
      <ErrorBox error={metrics.error} />
      {groups.size === 0 && !metrics.loading ? (
        <Empty>
          No memory metrics stored. Enable the memory profiler of @sightline/node (see
          docs/viewer-ui.md).
        </Empty>
      ) : null}
      {leak.length > 0 ? <LeakCard metrics={leak} q={q} /> : null}
      <div class="chart-grid">
        {ORDER.flatMap((panel) =>
          (groups.get(panel) ?? []).map((m) => (
            <MemoryChart key={m.name} metric={m} q={q} theme={theme} title={PANEL_TITLES[panel]} />
          )),
        )}
      </div>
      {arena.length > 0 ? (
        <div class="panel-group">
          <h2>{PANEL_TITLES.arena}</h2>
          <ArenaTable metrics={arena} q={q} />
          <div class="chart-grid">
            {arenaCharts.map((m) => (
              <MemoryChart key={m.name} metric={m} q={q} theme={theme} title={PANEL_TITLES.arena} />
            ))}
          </div>
        </div>
      ) : null}
    </section>
  );
}
