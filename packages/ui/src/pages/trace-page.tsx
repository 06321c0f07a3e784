/**
 * One trace: a virtualised, collapsible waterfall with a time axis, service colours and the critical
 * path, and a side panel for the selected span. Selection, collapsed spans and the panel tab are in
 * the URL. Keyboard: ↑/↓ select, ←/→ collapse/expand (or go to parent/child), Enter toggles, e jumps
 * to the next error.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, type Span } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { isTyping } from '../components/keyboard.js';
import { Link } from '../components/link.js';
import { PANEL_TABS, type PanelTab, SpanPanel } from '../components/span-panel.js';
import { Empty, ErrorBox, Loading, ServiceChip } from '../components/status.js';
import { VirtualRows } from '../components/virtual-rows.js';
import { formatDateTime, formatDuration } from '../format/format.js';
import { one, parseRoute, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';
import { serviceColor } from '../theme/service-colors.js';
import { type CriticalSegment, criticalPath } from '../waterfall/critical-path.js';
import { matchSpans, nextMatch } from '../waterfall/span-search.js';
import { ancestorIds, buildSpanTree, visibleRows } from '../waterfall/span-tree.js';
import { axisTicks } from '../waterfall/time-axis.js';

const ROW_HEIGHT = 24;

export function TracePage({ route }: { route: Route }) {
  const traceId = route.id ?? '';
  const q = route.query;
  // Live reloads only while the trace may still be growing (it ended in the last two minutes).
  const [recent, setRecent] = useState(true);
  const trace = useApi((signal) => api.trace(traceId, signal), [traceId], { live: recent });
  const data = trace.data;
  useEffect(() => {
    if (!data) return;
    const end = Math.max(0, ...data.spans.map((s) => s.startMs + s.durationMs));
    setRecent(Date.now() - end < 120_000);
  }, [data]);

  const tree = useMemo(() => (data ? buildSpanTree(data.spans) : undefined), [data]);
  const path = useMemo(() => (tree ? criticalPath(tree) : undefined), [tree]);
  const segmentsBySpan = useMemo(() => {
    const map = new Map<string, CriticalSegment[]>();
    for (const seg of path?.segments ?? []) {
      const list = map.get(seg.spanId);
      if (list) list.push(seg);
      else map.set(seg.spanId, [seg]);
    }
    return map;
  }, [path]);
  const collapsedParam = one(q, 'collapsed') ?? '';
  const collapsed = useMemo(
    () => new Set(collapsedParam.split(',').filter(Boolean)),
    [collapsedParam],
  );
  const rows = useMemo(() => (tree ? visibleRows(tree, collapsed) : []), [tree, collapsed]);
  const showCp = one(q, 'cp') !== '0';
  // Every span in tree order, collapsed or not: what `e` and find step through.
  const order = useMemo(
    () => (tree ? visibleRows(tree, new Set()).map((r) => r.node.span.spanId) : []),
    [tree],
  );
  const find = one(q, 'find') ?? '';
  const matches = useMemo(
    () => (data ? matchSpans(data.spans, find) : new Set<string>()),
    [data, find],
  );
  const [findText, setFindText] = useState(find);
  useEffect(() => setFindText(find), [find]);
  const tabParam = one(q, 'tab');
  const tab: PanelTab = (PANEL_TABS as readonly string[]).includes(tabParam ?? '')
    ? (tabParam as PanelTab)
    : 'attributes';
  const selectedId = one(q, 'span') ?? rows[0]?.node.span.spanId;
  const selectedIndex = rows.findIndex((r) => r.node.span.spanId === selectedId);
  const selectedSpan = selectedId ? tree?.byId.get(selectedId)?.span : undefined;

  // Reads the query from the address bar, not from this render, so quick key presses compose.
  const update = useCallback(
    (changes: Record<string, string | undefined>) => {
      const current = parseRoute(window.location.pathname, window.location.search).query;
      navigate(
        { page: 'trace', id: traceId, query: withParams(current, changes) },
        { replace: true },
      );
    },
    [traceId],
  );
  const setCollapsed = useCallback(
    (next: Set<string>) => update({ collapsed: [...next].join(',') || undefined }),
    [update],
  );
  const toggle = useCallback(
    (spanId: string) => {
      const current = parseRoute(window.location.pathname, window.location.search).query;
      const next = new Set((one(current, 'collapsed') ?? '').split(',').filter(Boolean));
      if (next.has(spanId)) next.delete(spanId);
      else next.add(spanId);
      setCollapsed(next);
    },
    [setCollapsed],
  );
  // The key handler is registered once and reads the latest rows and selection from here.
  const latest = useRef({ tree, rows, selectedIndex, order, matches, selectedId });
  latest.current = { tree, rows, selectedIndex, order, matches, selectedId };

  // A linked span hidden under a collapsed ancestor is revealed.
  useEffect(() => {
    if (!tree || !selectedId || selectedIndex >= 0 || !tree.byId.has(selectedId)) return;
    const next = new Set(collapsed);
    for (const id of ancestorIds(tree, selectedId).slice(0, -1)) next.delete(id);
    setCollapsed(next);
  }, [tree, selectedId, selectedIndex]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { tree, rows, selectedIndex, order, matches, selectedId } = latest.current;
      if (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey || !tree) return;
      const row = rows[selectedIndex];
      const select = (i: number) => {
        const target = rows[Math.max(0, Math.min(rows.length - 1, i))];
        if (target) update({ span: target.node.span.spanId });
      };
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
          select(selectedIndex + 1);
          break;
        case 'ArrowUp':
        case 'k':
          select(selectedIndex - 1);
          break;
        case 'Home':
          select(0);
          break;
        case 'End':
          select(rows.length - 1);
          break;
        case 'PageDown':
          select(selectedIndex + 20);
          break;
        case 'PageUp':
          select(selectedIndex - 20);
          break;
        case 'ArrowLeft':
          if (!row) return;
          if (row.hasChildren && !row.collapsed) toggle(row.node.span.spanId);
          else if (
            !row.node.orphan &&
            row.node.span.parentSpanId &&
            tree.byId.has(row.node.span.parentSpanId)
          )
            update({ span: row.node.span.parentSpanId });
          break;
        case 'ArrowRight':
          if (!row) return;
          if (row.collapsed) toggle(row.node.span.spanId);
          else if (row.hasChildren) select(selectedIndex + 1);
          break;
        case 'Enter':
          if (row?.hasChildren) toggle(row.node.span.spanId);
          break;
        case 'e':
        case 'n': {
          // Hidden spans count too: selecting one expands its ancestors.
          const wanted =
            event.key === 'e'
              ? (id: string) => tree.byId.get(id)?.span.status.code === 2
              : (id: string) => matches.has(id);
          const next = nextMatch(order, selectedId, wanted);
          if (next) update({ span: next });
          break;
        }
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [toggle, update]);

  if (trace.error && !data)
    return (
      <section class="page">
        <h1>Trace {traceId}</h1>
        <ErrorBox error={trace.error} />
        <Link to={{ page: 'traces', query: {} }}>Back to traces</Link>
      </section>
    );
  if (!data || !tree)
    return (
      <section class="page">
        <Loading when={true} />
      </section>
    );

  const start = tree.startMs;
  const total = Math.max(tree.endMs - start, 1e-6);
  const ticks = axisTicks(total, 6);
  const root = tree.roots[0]?.span;
  const services = [...new Set(data.spans.map((s) => s.service))].sort();
  const errorCount = data.spans.filter((s) => s.status.code === 2).length;
  const pct = (ms: number) => `${((ms - start) / total) * 100}%`;
  const width = (ms: number) => `${Math.max(0.15, (ms / total) * 100)}%`;

  const renderRow = (i: number) => {
    const row = rows[i];
    if (!row) return null;
    const span: Span = row.node.span;
    const isError = span.status.code === 2;
    const onPath = showCp && path?.spanIds.has(span.spanId);
    const segments = showCp ? (segmentsBySpan.get(span.spanId) ?? []) : [];
    return (
      // biome-ignore lint/a11y: a row is a pointer target; the waterfall's keys (arrows, Enter, e) are handled at document level
      <div
        class={`span-row ${i === selectedIndex ? 'selected' : ''} ${isError ? 'error' : ''} ${onPath ? 'on-cp' : ''} ${matches.has(span.spanId) ? 'match' : ''}`}
        data-span-id={span.spanId}
        data-selected={i === selectedIndex ? 'true' : undefined}
        onClick={() => update({ span: span.spanId })}
      >
        <div class="span-name" style={{ paddingLeft: `${Math.min(row.depth, 40) * 14 + 4}px` }}>
          {row.hasChildren ? (
            <button
              type="button"
              class="twisty"
              aria-label={row.collapsed ? 'expand' : 'collapse'}
              aria-expanded={!row.collapsed}
              onClick={(e) => {
                e.stopPropagation();
                toggle(span.spanId);
              }}
            >
              {row.collapsed ? '▸' : '▾'}
            </button>
          ) : (
            <span class="twisty-space" />
          )}
          <span
            class="swatch"
            style={{ background: serviceColor(span.service) }}
            title={span.service}
          />
          {isError ? (
            <span class="error-icon" title="error">
              !
            </span>
          ) : null}
          <span class="name-text">{span.name}</span>
          {row.node.orphan ? (
            <span class="muted orphan" title={`parent ${span.parentSpanId} is not in this trace`}>
              (parent missing)
            </span>
          ) : null}
          {row.collapsed ? (
            <span class="muted hidden-count">{`+${row.node.descendants}`}</span>
          ) : null}
        </div>
        <div class="span-track">
          <div
            class="span-bar"
            style={{
              left: pct(span.startMs),
              width: width(span.durationMs),
              background: serviceColor(span.service),
            }}
          />
          {span.events.map((event, n) => (
            <span
              key={`e${n}`}
              class={`event-mark ${event.name === 'exception' ? 'exception' : ''}`}
              style={{ left: pct(event.timeMs) }}
              title={`${event.name} at +${formatDuration(event.timeMs - span.startMs)}`}
            />
          ))}
          {segments.map((seg, n) => (
            <div
              key={n}
              class="cp-seg"
              style={{ left: pct(seg.startMs), width: width(seg.endMs - seg.startMs) }}
            />
          ))}
          <span class="span-dur" style={{ left: pct(span.startMs + span.durationMs) }}>
            {formatDuration(span.durationMs)}
          </span>
        </div>
      </div>
    );
  };

  return (
    <section class="page trace-page">
      <div class="trace-head">
        <h1>
          {root ? <span class="op">{root.name}</span> : 'Trace'}{' '}
          <span class="muted mono">{traceId}</span>
        </h1>
        <div class="trace-facts">
          <span>{formatDateTime(start)}</span>
          <span>
            duration <strong>{formatDuration(tree.endMs - tree.startMs)}</strong>
          </span>
          <span>
            <strong>{data.spanCount}</strong> spans
          </span>
          {errorCount > 0 ? (
            <span class="error-mark">{`! ${errorCount} error${errorCount === 1 ? '' : 's'}`}</span>
          ) : null}
          <form
            class="find"
            onSubmit={(e) => {
              e.preventDefault();
              const text = findText.trim();
              const found = matchSpans(data.spans, text);
              const next = nextMatch(order, selectedId, (id) => found.has(id));
              update({ find: text || undefined, ...(next ? { span: next } : {}) });
            }}
          >
            <input
              type="search"
              name="find"
              placeholder="find spans (Enter: next)"
              aria-label="find spans"
              value={findText}
              onInput={(e) => setFindText(e.currentTarget.value)}
            />
            {find ? (
              <span class="muted">{`${matches.size} match${matches.size === 1 ? '' : 'es'}`}</span>
            ) : null}
          </form>
          <label class="inline">
            <input
              type="checkbox"
              checked={showCp}
              onChange={() => update({ cp: showCp ? '0' : undefined })}
            />{' '}
            critical path
          </label>
          <button type="button" onClick={() => setCollapsed(new Set())}>
            Expand all
          </button>
          <button
            type="button"
            onClick={() =>
              setCollapsed(
                new Set(
                  data.spans
                    .filter((s) => tree.byId.get(s.spanId)?.children.length)
                    .map((s) => s.spanId)
                    .filter((id) => (tree.byId.get(id)?.depth ?? 0) >= 1),
                ),
              )
            }
          >
            Collapse all
          </button>
          <Loading when={trace.loading} />
        </div>
        <div class="legend">
          {services.map((s) => (
            <ServiceChip key={s} name={s} />
          ))}
        </div>
        {data.truncated ? (
          <div class="warn-box">{`Showing the first ${data.spans.length} of ${data.spanCount} spans.`}</div>
        ) : null}
      </div>
      <div class="trace-body">
        <div class="waterfall">
          <div class="axis">
            <div class="span-name muted">{`${rows.length} of ${data.spans.length} rows`}</div>
            <div class="span-track">
              {ticks.map((t) => (
                <span key={t} class="tick" style={{ left: `${(t / total) * 100}%` }}>
                  {formatDuration(t)}
                </span>
              ))}
            </div>
          </div>
          {rows.length === 0 ? (
            <Empty>No spans.</Empty>
          ) : (
            <VirtualRows
              count={rows.length}
              rowHeight={ROW_HEIGHT}
              selected={selectedIndex}
              renderRow={renderRow}
              label="spans"
            />
          )}
        </div>
        {selectedSpan ? (
          <SpanPanel
            trace={data}
            span={selectedSpan}
            traceStartMs={start}
            tab={tab}
            query={q}
            onCriticalPath={path?.spanIds.has(selectedSpan.spanId) ?? false}
          />
        ) : null}
      </div>
    </section>
  );
}
