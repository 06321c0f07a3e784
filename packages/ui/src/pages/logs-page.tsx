/**
 * Logs: search by severity, text, service and trace id, newest first; each record links to its trace
 * and span. Keyboard: ↑/↓ select, Enter opens the record's trace.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { AttributesTable } from '../components/attributes-table.js';
import { useListKeys } from '../components/keyboard.js';
import { Link } from '../components/link.js';
import { RangeSelect, RunSelect, ServiceSelect } from '../components/scope-controls.js';
import { severityClass } from '../components/span-panel.js';
import { Empty, ErrorBox, Loading, ServiceChip } from '../components/status.js';
import { formatDateTime, formatTime, formatValue, severityName } from '../format/format.js';
import { resolveWindow } from '../router/time-range.js';
import { formatRoute, num, one, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';

const SEVERITIES: [string, string][] = [
  ['', 'any'],
  ['5', 'DEBUG+'],
  ['9', 'INFO+'],
  ['13', 'WARN+'],
  ['17', 'ERROR+'],
  ['21', 'FATAL'],
];

export function LogsPage({ route }: { route: Route }) {
  const q = route.query;
  const key = formatRoute(route);
  const set = (changes: Record<string, string | undefined>) =>
    navigate({ page: 'logs', query: withParams(q, { ...changes, limit: undefined }) });
  const [text, setText] = useState(one(q, 'text') ?? '');
  const [traceText, setTraceText] = useState(one(q, 'traceId') ?? '');
  useEffect(() => {
    setText(one(q, 'text') ?? '');
    setTraceText(one(q, 'traceId') ?? '');
  }, [key]);
  const limit = Math.min(1000, num(q, 'limit') ?? 100);
  const logs = useApi(
    (signal) => {
      const w = resolveWindow(q, Date.now());
      return api.logs(
        {
          service: one(q, 'service'),
          severityMin: num(q, 'severity'),
          text: one(q, 'text'),
          traceId: one(q, 'traceId'),
          run: one(q, 'run'),
          start: w.start,
          end: w.end,
          limit,
        },
        signal,
      );
    },
    [key],
  );
  const list = logs.data?.logs ?? [];
  const keyOf = (log: (typeof list)[number]) =>
    `${log.timeMs}|${log.traceId}|${log.spanId}|${log.severityNumber}|${formatValue(log.body).slice(0, 80)}`;
  // Selection by record, so records arriving live above it do not move it.
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined);
  const selected = list.findIndex((l) => keyOf(l) === selectedKey);
  const setSelected = useCallback(
    (i: number) => {
      const log = list[i];
      setSelectedKey(log ? keyOf(log) : undefined);
    },
    [list],
  );
  const [expanded, setExpanded] = useState<string | undefined>(undefined);
  const open = useCallback(
    (i: number) => {
      const log = list[i];
      if (log?.traceId)
        navigate({
          page: 'trace',
          id: log.traceId,
          query: log.spanId ? { span: [log.spanId], tab: ['logs'] } : {},
        });
    },
    [list],
  );
  useListKeys(list.length, selected, setSelected, open);

  return (
    <section class="page logs-page">
      <h1>Logs</h1>
      <form
        class="filters"
        aria-label="log search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ text: text.trim(), traceId: traceText.trim() });
        }}
      >
        <label class="grow">
          Text
          <input
            type="search"
            name="text"
            placeholder="substring of the body"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label>
          Severity
          <select
            name="severity"
            value={one(q, 'severity') ?? ''}
            onChange={(e) => set({ severity: (e.currentTarget as HTMLSelectElement).value })}
          >
            {SEVERITIES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <ServiceSelect value={one(q, 'service')} onChange={(v) => set({ service: v })} />
        <label>
          Trace id
          <input
            name="traceId"
            class="mono"
            value={traceText}
            onInput={(e) => setTraceText(e.currentTarget.value)}
          />
        </label>
        <RangeSelect
          query={q}
          onChange={(r) => set({ range: r, start: undefined, end: undefined })}
        />
        <RunSelect value={one(q, 'run')} onChange={(r) => set({ run: r })} />
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={logs.error} />
      <div class="list-head">
        <span>{`${list.length} record${list.length === 1 ? '' : 's'}${logs.data?.nextCursor ? ' (more match)' : ''}`}</span>
        <Loading when={logs.loading} />
      </div>
      {list.length === 0 && !logs.loading ? <Empty>No log records match.</Empty> : null}
      <table class="results logs" aria-label="log records">
        <thead>
          <tr>
            <th>Time</th>
            <th>Severity</th>
            <th>Service</th>
            <th>Body</th>
            <th>Trace</th>
          </tr>
        </thead>
        <tbody>
          {list.map((log, i) => {
            const id = keyOf(log);
            return [
              <tr
                key={id}
                class={`sev-${severityClass(log.severityNumber)} ${i === selected ? 'selected' : ''}`}
                onClick={() => {
                  setSelected(i);
                  setExpanded(expanded === id ? undefined : id);
                }}
              >
                <td title={formatDateTime(log.timeMs)}>{formatTime(log.timeMs)}</td>
                <td>
                  <span class="sev">{severityName(log.severityNumber, log.severityText)}</span>
                </td>
                <td>{log.service ? <ServiceChip name={log.service} /> : null}</td>
                <td class="body">{formatValue(log.body)}</td>
                <td>
                  {log.traceId ? (
                    <Link
                      to={{
                        page: 'trace',
                        id: log.traceId,
                        query: log.spanId ? { span: [log.spanId], tab: ['logs'] } : {},
                      }}
                      class="mono trace-link"
                    >
                      {log.traceId.slice(0, 8)}
                    </Link>
                  ) : null}
                </td>
              </tr>,
              expanded === id ? (
                <tr key={`${id}-detail`} class="detail">
                  <td colSpan={5}>
                    <AttributesTable attributes={log.attributes} />
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
      {logs.data?.nextCursor && limit < 1000 ? (
        <button
          type="button"
          class="more"
          onClick={() =>
            navigate(
              {
                page: 'logs',
                query: withParams(q, { limit: String(Math.min(1000, limit + 100)) }),
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
