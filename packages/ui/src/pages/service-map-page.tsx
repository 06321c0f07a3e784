/**
 * Service map: services and the calls between them, derived from spans, with RED (rate, error %,
 * p50/p95/p99) per service and, for the selected service, per operation. Everything clicks through
 * to matching traces.
 */
import { api, type RedRow } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { Link } from '../components/link.js';
import { RangeSelect, RunSelect } from '../components/scope-controls.js';
import { Empty, ErrorBox, Loading, ServiceChip } from '../components/status.js';
import { formatDuration, formatNumber, formatPercent, formatRate } from '../format/format.js';
import { resolveWindow } from '../router/time-range.js';
import { formatRoute, one, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';
import { layoutServiceMap, NODE_HEIGHT, NODE_WIDTH } from '../service-map/map-layout.js';
import { serviceColor } from '../theme/service-colors.js';

export function ServiceMapPage({ route }: { route: Route }) {
  const q = route.query;
  const key = formatRoute(route);
  const selected = one(q, 'service');
  const scope = () => {
    const w = resolveWindow(q, Date.now());
    return { run: one(q, 'run'), start: w.start, end: w.end };
  };
  const scopeKey = JSON.stringify([one(q, 'run'), one(q, 'range'), one(q, 'start'), one(q, 'end')]);
  const map = useApi((signal) => api.serviceMap(scope(), signal), [scopeKey]);
  const ops = useApi(
    (signal) =>
      selected ? api.red('operation', selected, scope(), signal) : Promise.resolve(undefined),
    [scopeKey, selected],
  );
  const set = (changes: Record<string, string | undefined>) =>
    navigate({ page: 'services', query: withParams(q, changes) });
  const nodes = map.data?.nodes ?? [];
  const edges = map.data?.edges ?? [];
  const layout = layoutServiceMap(
    nodes.map((n) => n.service),
    edges,
  );
  const place = new Map(layout.nodes.map((n) => [n.service, n]));
  const red = new Map(nodes.map((n) => [n.service, n]));
  const traceScope = {
    ...(one(q, 'run') ? { run: [one(q, 'run') as string] } : {}),
    ...(one(q, 'range') ? { range: [one(q, 'range') as string] } : {}),
  };

  return (
    <section class="page services-page" data-key={key}>
      <h1>Service map</h1>
      <div class="filters">
        <RangeSelect
          query={q}
          onChange={(r) => set({ range: r, start: undefined, end: undefined })}
        />
        <RunSelect value={one(q, 'run')} onChange={(r) => set({ run: r })} />
        <Loading when={map.loading} />
      </div>
      <ErrorBox error={map.error} />
      {nodes.length === 0 && !map.loading ? <Empty>No spans stored yet.</Empty> : null}
      {nodes.length > 0 ? (
        <div class="map-box">
          <svg
            class="service-map"
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="img"
            aria-label="service map"
          >
            <defs>
              <marker
                id="arrow"
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
              </marker>
            </defs>
            {edges.map((edge) => {
              const a = place.get(edge.source);
              const b = place.get(edge.target);
              if (!a || !b) return null;
              const x1 = a.x + NODE_WIDTH;
              const y1 = a.y + NODE_HEIGHT / 2;
              const x2 = b.x;
              const y2 = b.y + NODE_HEIGHT / 2;
              const back = x2 <= x1;
              const d = back
                ? `M ${a.x + NODE_WIDTH / 2} ${a.y + NODE_HEIGHT} C ${a.x + NODE_WIDTH / 2} ${a.y + NODE_HEIGHT + 60}, ${b.x + NODE_WIDTH / 2} ${b.y + NODE_HEIGHT + 60}, ${b.x + NODE_WIDTH / 2} ${b.y + NODE_HEIGHT}`
                : `M ${x1} ${y1} C ${x1 + 45} ${y1}, ${x2 - 45} ${y2}, ${x2} ${y2}`;
              return (
                <g
                  key={`${edge.source}->${edge.target}`}
                  class={`edge ${edge.errorCount > 0 ? 'error' : ''}`}
                >
                  <path d={d} marker-end="url(#arrow)" />
                  <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 6} text-anchor="middle">
                    {`${formatNumber(edge.callCount)} call${edge.callCount === 1 ? '' : 's'}${edge.errorCount ? ` · ${edge.errorCount} err` : ''}`}
                  </text>
                  <title>{`${edge.source} → ${edge.target}: p50 ${formatDuration(edge.p50Ms)}, p95 ${formatDuration(edge.p95Ms)}`}</title>
                </g>
              );
            })}
            {layout.nodes.map((node) => {
              const r = red.get(node.service);
              return (
                // biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; the per-service table below selects the same by keyboard
                <g
                  key={node.service}
                  class={`node ${node.service === selected ? 'selected' : ''} ${r && r.errorCount > 0 ? 'error' : ''}`}
                  transform={`translate(${node.x} ${node.y})`}
                  data-service={node.service}
                  onClick={() =>
                    set({ service: node.service === selected ? undefined : node.service })
                  }
                >
                  <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
                  <rect
                    width="6"
                    height={NODE_HEIGHT}
                    rx="3"
                    style={{ fill: serviceColor(node.service) }}
                  />
                  <text x="14" y="20" class="node-name">
                    {node.service.length > 24 ? `${node.service.slice(0, 23)}…` : node.service}
                  </text>
                  {r ? (
                    <>
                      <text
                        x="14"
                        y="38"
                        class="node-stat"
                      >{`${formatRate(r.rate)} · ${formatPercent(r.errorRate)} err`}</text>
                      <text
                        x="14"
                        y="54"
                        class="node-stat"
                      >{`p50 ${formatDuration(r.p50Ms)} · p99 ${formatDuration(r.p99Ms)}`}</text>
                    </>
                  ) : null}
                  <title>{node.service}</title>
                </g>
              );
            })}
          </svg>
        </div>
      ) : null}
      <h2>Per service</h2>
      <RedTable
        rows={nodes}
        traceScope={traceScope}
        onSelect={(s) => set({ service: s })}
        selected={selected}
      />
      {selected ? (
        <>
          <h2>
            Operations of <ServiceChip name={selected} />
          </h2>
          <ErrorBox error={ops.error} />
          <RedTable rows={ops.data?.rows ?? []} traceScope={traceScope} byOperation />
        </>
      ) : (
        <p class="muted">Select a service for RED per operation.</p>
      )}
    </section>
  );
}

function RedTable({
  rows,
  byOperation,
  traceScope,
  onSelect,
  selected,
}: {
  rows: RedRow[];
  byOperation?: boolean;
  traceScope: Record<string, string[]>;
  onSelect?: (service: string) => void;
  selected?: string | undefined;
}) {
  return (
    <table class="results red" aria-label={byOperation ? 'operations' : 'services'}>
      <thead>
        <tr>
          <th>{byOperation ? 'Operation' : 'Service'}</th>
          <th class="num">Spans</th>
          <th class="num">Rate</th>
          <th class="num">Errors</th>
          <th class="num">p50</th>
          <th class="num">p95</th>
          <th class="num">p99</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const traces = {
            ...traceScope,
            service: [row.service],
            ...(byOperation && row.operation ? { operation: [row.operation] } : {}),
          };
          return (
            <tr
              key={`${row.service}|${row.operation ?? ''}`}
              class={`${row.errorCount > 0 ? 'has-error' : ''} ${!byOperation && row.service === selected ? 'selected' : ''}`}
              onClick={onSelect ? () => onSelect(row.service) : undefined}
            >
              <td>
                {byOperation ? (
                  <span class="op">{row.operation}</span>
                ) : (
                  <ServiceChip name={row.service} />
                )}
              </td>
              <td class="num">{formatNumber(row.spanCount)}</td>
              <td class="num">{formatRate(row.rate)}</td>
              <td class={`num ${row.errorCount > 0 ? 'error-text' : ''}`}>
                {row.errorCount > 0 ? (
                  <Link
                    to={{ page: 'traces', query: { ...traces, status: ['error'] } }}
                  >{`${formatPercent(row.errorRate)} (${row.errorCount})`}</Link>
                ) : (
                  '0%'
                )}
              </td>
              <td class="num">{formatDuration(row.p50Ms)}</td>
              <td class="num">{formatDuration(row.p95Ms)}</td>
              <td class="num">{formatDuration(row.p99Ms)}</td>
              <td>
                <Link to={{ page: 'traces', query: traces }}>traces</Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
