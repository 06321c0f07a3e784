/**
 * Metrics: pick a metric (filterable list), a service and attribute filters; sums and gauges as lines
 * (avg/min/max/last, or rate for counters), histograms as percentiles over time or a heatmap,
 * summaries as quantiles.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type MetricSeriesResponse } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { alignSeries, seriesLabel } from '../charts/align-series.js';
import { Heatmap } from '../charts/heatmap.js';
import { heatmapFromPoints, mergeHeatmaps } from '../charts/heatmap-data.js';
import { lineColor } from '../charts/palette.js';
import { TimeChart } from '../charts/time-chart.js';
import { Link } from '../components/link.js';
import { RangeSelect, ServiceSelect } from '../components/scope-controls.js';
import { Empty, ErrorBox, Loading } from '../components/status.js';
import { formatWithUnit } from '../format/format.js';
import { pointValue, statsFor } from '../metrics/metric-values.js';
import { resolveWindow } from '../router/time-range.js';
import { formatRoute, many, one, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';
import { formatAttrFilters, parseAttrFilters } from '../search/attr-filters.js';

export function MetricsPage({ route, theme }: { route: Route; theme: string }) {
  const q = route.query;
  const key = formatRoute(route);
  const name = one(q, 'name');
  const service = one(q, 'service');
  const set = (changes: Record<string, string | readonly string[] | undefined>) =>
    navigate({ page: 'metrics', query: withParams(q, changes) });
  const [filter, setFilter] = useState(one(q, 'filter') ?? '');
  const [attrText, setAttr] = useState(formatAttrFilters(many(q, 'attr')));
  useEffect(() => setAttr(formatAttrFilters(many(q, 'attr'))), [key]);

  const metrics = useApi((signal) => api.metrics(service, undefined, signal), [service]);
  const list = (metrics.data?.metrics ?? []).filter((m) =>
    m.name.toLowerCase().includes(filter.toLowerCase()),
  );
  const meta = metrics.data?.metrics.find((m) => m.name === name);
  const series = useApi(
    (signal) => {
      if (!name) return Promise.resolve(undefined);
      const w = resolveWindow(q, Date.now());
      return api.series(
        { name, service, attr: many(q, 'attr'), start: w.start, end: w.end, width: 240, limit: 50 },
        signal,
      );
    },
    [name, service, many(q, 'attr').join('&'), one(q, 'range'), one(q, 'start'), one(q, 'end')],
  );

  return (
    <section class="page metrics-page">
      <h1>Metrics</h1>
      <div class="split">
        <div class="metric-list">
          <input
            type="search"
            placeholder="filter metrics"
            aria-label="filter metrics"
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
          <Loading when={metrics.loading} />
          <ul aria-label="metrics">
            {list.map((m) => (
              <li key={m.name} class={m.name === name ? 'selected' : ''}>
                <Link
                  to={{
                    page: 'metrics',
                    query: withParams(q, { name: m.name, stat: undefined, view: undefined }),
                  }}
                  title={m.description}
                >
                  <span class="metric-name">{m.name}</span>
                  <span class="muted small">{`${m.type}${m.unit ? ` · ${m.unit}` : ''} · ${m.seriesCount} series`}</span>
                </Link>
              </li>
            ))}
          </ul>
          {list.length === 0 && !metrics.loading ? <Empty>No metrics stored.</Empty> : null}
        </div>
        <div class="metric-main">
          <form
            class="filters"
            onSubmit={(e) => {
              e.preventDefault();
              set({ attr: parseAttrFilters(attrText) });
            }}
          >
            <ServiceSelect value={service} onChange={(v) => set({ service: v })} />
            <label class="grow">
              Attributes
              <input
                name="attr"
                placeholder="key=value"
                value={attrText}
                onInput={(e) => setAttr(e.currentTarget.value)}
              />
            </label>
            <RangeSelect
              query={q}
              onChange={(r) => set({ range: r, start: undefined, end: undefined })}
            />
            <button type="submit">Apply</button>
          </form>
          {!name ? <Empty>Pick a metric.</Empty> : null}
          <ErrorBox error={series.error} />
          {name && series.data ? (
            <MetricChart
              data={series.data}
              monotonic={meta?.isMonotonic ?? null}
              description={meta?.description ?? ''}
              stat={one(q, 'stat')}
              view={one(q, 'view')}
              theme={theme}
              onStat={(s) => set({ stat: s })}
              onView={(v) => set({ view: v })}
            />
          ) : null}
        </div>
      </div>
    </section>
  );
}

function MetricChart({
  data,
  monotonic,
  description,
  stat: statParam,
  view,
  theme,
  onStat,
  onView,
}: {
  data: MetricSeriesResponse;
  monotonic: boolean | null;
  description: string;
  stat: string | undefined;
  view: string | undefined;
  theme: string;
  onStat: (stat: string) => void;
  onView: (view: string | undefined) => void;
}) {
  const stats = statsFor(data.type, data.temporality, monotonic);
  const stat = statParam && stats.includes(statParam) ? statParam : (stats[0] as string);
  const isHistogram = data.type === 'histogram';
  const heat = isHistogram && view === 'heatmap';
  const unit = stat === 'count' ? '{count}' : stat === 'rate' ? `${data.unit}/s` : data.unit;
  const format = (v: number) => formatWithUnit(v, stat === 'rate' ? data.unit : unit);
  const aligned = useMemo(
    () => alignSeries(data.series, (p, prev) => pointValue(data.type, stat, p, prev)),
    [data, stat],
  );
  const heatmap = useMemo(
    () =>
      heat
        ? mergeHeatmaps(data.series.map((s) => heatmapFromPoints(s.points, data.temporality)))
        : undefined,
    [data, heat],
  );
  const chartSeries = useMemo(
    () =>
      data.series.map((s, i) => ({
        label: seriesLabel(s.service, s.attributes),
        values: aligned.values[i] ?? [],
        color: lineColor(i),
      })),
    [data, aligned],
  );
  return (
    <div class="metric-chart">
      <h2 class="metric-title">{data.name}</h2>
      <p class="muted">{`${data.type}${data.unit ? `, unit ${data.unit}` : ''}${description ? ` — ${description}` : ''}`}</p>
      <div class="filters">
        <fieldset class="seg" aria-label="statistic">
          {stats.map((s) => (
            <button
              type="button"
              key={s}
              class={s === stat && !heat ? 'active' : ''}
              onClick={() => {
                onStat(s);
                if (heat) onView(undefined);
              }}
            >
              {s}
            </button>
          ))}
          {isHistogram ? (
            <button
              type="button"
              class={heat ? 'active' : ''}
              onClick={() => onView(heat ? undefined : 'heatmap')}
            >
              heatmap
            </button>
          ) : null}
        </fieldset>
        <span class="muted">{`${data.series.length} series${data.truncated ? ' (more exist: narrow with filters)' : ''}, bucket ${formatWithUnit(data.bucketMs, 'ms')}`}</span>
      </div>
      {data.series.length === 0 ? <Empty>No points in this range.</Empty> : null}
      {heatmap ? (
        <Heatmap data={heatmap} theme={theme} format={(v) => formatWithUnit(v, data.unit)} />
      ) : data.series.length > 0 ? (
        <TimeChart
          label={`${data.name} ${stat}`}
          theme={theme}
          xs={aligned.xs}
          series={chartSeries}
          yFormat={format}
          height={300}
        />
      ) : null}
    </div>
  );
}
