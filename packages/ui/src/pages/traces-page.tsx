/**
 * Traces: search by service, operation, status, duration, attributes and time; a duration-over-time
 * scatter (click a point to open its trace); the results list (keyboard: ↑/↓, Enter).
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, type TraceSummary } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { TimeChart } from '../charts/time-chart.js';
import { useListKeys } from '../components/keyboard.js';
import { Link } from '../components/link.js';
import { RangeSelect, RunSelect, ServiceSelect } from '../components/scope-controls.js';
import { Empty, ErrorBox, ErrorMark, Loading, ServiceChip } from '../components/status.js';
import { formatDateTime, formatDuration, formatTime } from '../format/format.js';
import { resolveWindow } from '../router/time-range.js';
import { formatRoute, many, num, one, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';
import { formatAttrFilters, parseAttrFilters } from '../search/attr-filters.js';
import { cssVar } from '../theme/theme.js';

const PAGE = 50;

export function TracesPage({ route, theme }: { route: Route; theme: string }) {
  const q = route.query;
  const set = (changes: Record<string, string | readonly string[] | undefined>) =>
    navigate({ page: 'traces', query: withParams(q, { ...changes, limit: undefined }) });

  const service = one(q, 'service');
  const limit = Math.min(500, num(q, 'limit') ?? PAGE);
  const operations = useApi((signal) => api.operations(service, {}, signal), [service]);
  const [minText, setMin] = useState(one(q, 'minMs') ?? '');
  const [maxText, setMax] = useState(one(q, 'maxMs') ?? '');
  const [attrText, setAttr] = useState(formatAttrFilters(many(q, 'attr')));
  const key = formatRoute(route);
  useEffect(() => {
    setMin(one(q, 'minMs') ?? '');
    setMax(one(q, 'maxMs') ?? '');
    setAttr(formatAttrFilters(many(q, 'attr')));
  }, [key]);

  const traces = useApi(
    (signal) => {
      const window = resolveWindow(q, Date.now());
      return api.traces(
        {
          service,
          operation: one(q, 'operation'),
          status: one(q, 'status'),
          minDurationMs: num(q, 'minMs'),
          maxDurationMs: num(q, 'maxMs'),
          attr: many(q, 'attr'),
          run: one(q, 'run'),
          start: window.start,
          end: window.end,
          limit,
        },
        signal,
      );
    },
    [key],
  );
  const list = traces.data?.traces ?? [];
  // Selection by trace id, so rows arriving live above it do not move it to another trace.
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const selected = list.findIndex((t) => t.traceId === selectedId);
  const setSelected = useCallback((i: number) => setSelectedId(list[i]?.traceId), [list]);
  const open = useCallback(
    (index: number) => {
      const trace = list[index];
      if (trace) navigate({ page: 'trace', id: trace.traceId, query: {} });
    },
    [list],
  );
  useListKeys(list.length, selected, setSelected, open);

  const chart = useMemo(() => scatterData(list), [list]);
  const maxDuration = Math.max(1e-9, ...list.map((t) => t.durationMs));

  return (
    <section class="page traces-page">
      <h1>Traces</h1>
      <form
        class="filters"
        aria-label="trace search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ minMs: minText.trim(), maxMs: maxText.trim(), attr: parseAttrFilters(attrText) });
        }}
      >
        <ServiceSelect
          value={service}
          onChange={(v) => set({ service: v, operation: undefined })}
        />
        <label>
          Operation
          <select
            name="operation"
            value={one(q, 'operation') ?? ''}
            onChange={(e) => set({ operation: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">all operations</option>
            {[...new Set((operations.data?.operations ?? []).map((o) => o.name))]
              .sort()
              .map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
          </select>
        </label>
        <label>
          Status
          <select
            name="status"
            value={one(q, 'status') ?? ''}
            onChange={(e) => set({ status: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">any</option>
            <option value="error">error</option>
            <option value="ok">ok</option>
            <option value="unset">unset</option>
          </select>
        </label>
        <label>
          Min ms
          <input
            name="minMs"
            class="short"
            inputMode="decimal"
            value={minText}
            onInput={(e) => setMin(e.currentTarget.value)}
          />
        </label>
        <label>
          Max ms
          <input
            name="maxMs"
            class="short"
            inputMode="decimal"
            value={maxText}
            onInput={(e) => setMax(e.currentTarget.value)}
          />
        </label>
        <label class="grow">
          Attributes
          <input
            type="search"
            name="attr"
            placeholder='key=value key2="a b"'
            value={attrText}
            onInput={(e) => setAttr(e.currentTarget.value)}
          />
        </label>
        <RangeSelect
          query={q}
          onChange={(r) => set({ range: r, start: undefined, end: undefined })}
        />
        <RunSelect value={one(q, 'run')} onChange={(r) => set({ run: r })} />
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={traces.error} />
      {list.length > 0 ? (
        <TimeChart
          label="trace durations over time"
          theme={theme}
          xs={chart.xs}
          series={[
            { label: 'ok', values: chart.ok, color: cssVar('--accent-2', '#4e79a7'), points: true },
            {
              label: 'error',
              values: chart.errors,
              color: cssVar('--error', '#e15759'),
              points: true,
            },
          ]}
          yFormat={(v) => formatDuration(v)}
          height={180}
          onRange={(from, to) =>
            set({ start: String(Math.floor(from)), end: String(Math.ceil(to)), range: undefined })
          }
          onPick={(i) => {
            const trace = chart.traces[i];
            if (trace) navigate({ page: 'trace', id: trace.traceId, query: {} });
          }}
        />
      ) : null}
      <div class="list-head">
        <span>
          {list.length} trace{list.length === 1 ? '' : 's'}
          {traces.data?.nextCursor ? ' (more match)' : ''}
        </span>
        <Loading when={traces.loading} />
      </div>
      {list.length === 0 && !traces.loading ? <Empty>No traces match.</Empty> : null}
      <table class="results" aria-label="traces">
        <thead>
          <tr>
            <th>Start</th>
            <th>Root</th>
            <th>Services</th>
            <th class="num">Spans</th>
            <th class="duration-col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {list.map((trace, i) => (
            <tr
              key={trace.traceId}
              class={`${i === selected ? 'selected' : ''} ${trace.errorCount > 0 ? 'has-error' : ''}`}
              data-trace-id={trace.traceId}
              onClick={() => setSelected(i)}
              onDblClick={() => open(i)}
            >
              <td title={formatDateTime(trace.startMs)}>{formatTime(trace.startMs)}</td>
              <td>
                <Link to={{ page: 'trace', id: trace.traceId, query: {} }} class="trace-link">
                  {trace.rootService ? <ServiceChip name={trace.rootService} /> : null}
                  <span class="op">
                    {trace.rootName ?? `(missing root) ${trace.traceId.slice(0, 8)}`}
                  </span>
                </Link>
                <ErrorMark count={trace.errorCount} />
              </td>
              <td>
                {trace.services.slice(0, 4).map((s) => (
                  <ServiceChip key={s} name={s} />
                ))}
                {trace.services.length > 4 ? (
                  <span class="muted">+{trace.services.length - 4}</span>
                ) : null}
              </td>
              <td class="num">{trace.spanCount}</td>
              <td class="duration-col">
                <span
                  class="dur-bar"
                  style={{ width: `${Math.max(1, (trace.durationMs / maxDuration) * 100)}%` }}
                />
                <span class="dur-text">{formatDuration(trace.durationMs)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {traces.data?.nextCursor && limit < 500 ? (
        <button
          type="button"
          class="more"
          onClick={() =>
            navigate(
              {
                page: 'traces',
                query: withParams(q, { limit: String(Math.min(500, limit + PAGE)) }),
              },
              { replace: true },
            )
          }
        >
          Show more
        </button>
      ) : null}
    </section>
  );
}

function scatterData(list: readonly TraceSummary[]) {
  const traces = [...list].sort((a, b) => a.startMs - b.startMs);
  return {
    traces,
    xs: traces.map((t) => t.startMs),
    ok: traces.map((t) => (t.errorCount > 0 ? null : t.durationMs)),
    errors: traces.map((t) => (t.errorCount > 0 ? t.durationMs : null)),
  };
}
