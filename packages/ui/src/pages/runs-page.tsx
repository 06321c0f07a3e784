/**
 * Runs: every start of `sightline dev` (or imported bundle), and a comparison of two runs per
 * operation: latency distribution, percentiles, error rate and throughput, A vs B.
 */
import { api, type RunSide } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { Link } from '../components/link.js';
import { ServiceSelect } from '../components/scope-controls.js';
import { Empty, ErrorBox, Loading, ServiceChip } from '../components/status.js';
import {
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRate,
} from '../format/format.js';
import { one, type Route, withParams } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';
import { relativeChange, sortComparison } from '../runs/run-compare.js';

function Histogram({ a, b, bounds }: { a: number[]; b: number[] | undefined; bounds: number[] }) {
  const na = a.reduce((x, y) => x + y, 0) || 1;
  const nb = (b ?? []).reduce((x, y) => x + y, 0) || 1;
  const max = Math.max(...a.map((c) => c / na), ...(b ?? []).map((c) => c / nb), 1e-9);
  return (
    <div class="mini-hist" role="img" aria-label="latency distribution A vs B">
      {a.map((c, i) => (
        <div
          key={i}
          class="mini-col"
          title={`≤ ${i < bounds.length ? formatDuration(bounds[i]) : '∞'}: A ${c}, B ${b?.[i] ?? 0}`}
        >
          <span class="bar-a" style={{ height: `${(c / na / max) * 100}%` }} />
          <span class="bar-b" style={{ height: `${((b?.[i] ?? 0) / nb / max) * 100}%` }} />
        </div>
      ))}
    </div>
  );
}

function Cell({
  a,
  b,
  format,
  higherIsWorse = true,
  neutral = false,
}: {
  a: number | null | undefined;
  b: number | null | undefined;
  format: (v: number) => string;
  higherIsWorse?: boolean;
  /** Neither direction is better (a plain count): the change is shown uncoloured. */
  neutral?: boolean;
}) {
  const change = relativeChange(a, b);
  const worse =
    !neutral &&
    a !== null &&
    a !== undefined &&
    b !== null &&
    b !== undefined &&
    (higherIsWorse ? b > a * 1.1 : b < a * 0.9);
  const better =
    !neutral &&
    a !== null &&
    a !== undefined &&
    b !== null &&
    b !== undefined &&
    (higherIsWorse ? b < a * 0.9 : b > a * 1.1);
  return (
    <td class="num">
      <span>{a === null || a === undefined ? '–' : format(a)}</span>
      {' → '}
      <span>{b === null || b === undefined ? '–' : format(b)}</span>
      {change ? (
        <span class={`delta ${worse ? 'worse' : better ? 'better' : ''}`}>{` ${change}`}</span>
      ) : null}
    </td>
  );
}

export function RunsPage({ route }: { route: Route }) {
  const q = route.query;
  const a = one(q, 'a');
  const b = one(q, 'b');
  const runs = useApi((signal) => api.runs(signal), []);
  const compare = useApi(
    (signal) =>
      a && b ? api.compareRuns(a, b, one(q, 'service'), signal) : Promise.resolve(undefined),
    [a, b, one(q, 'service')],
  );
  const set = (changes: Record<string, string | undefined>) =>
    navigate({ page: 'runs', query: withParams(q, changes) });
  const list = runs.data?.runs ?? [];
  const side = (x: RunSide | null) => x ?? undefined;
  return (
    <section class="page runs-page">
      <h1>Runs</h1>
      <ErrorBox error={runs.error} />
      <table class="results" aria-label="runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Started</th>
            <th>Ended</th>
            <th class="num">Spans</th>
            <th class="num">Logs</th>
            <th class="num">Points</th>
            <th>A</th>
            <th>B</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((run) => (
            <tr key={run.id} class={run.current ? 'current' : ''}>
              <td>
                {`#${run.id} `}
                <span class="op">{run.name}</span>
                {run.current ? <span class="badge">current</span> : null}
                {run.source === 'import' ? <span class="badge">imported</span> : null}
              </td>
              <td>{formatDateTime(run.startedMs)}</td>
              <td>{run.endedMs ? formatDateTime(run.endedMs) : '–'}</td>
              <td class="num">{formatNumber(run.spanCount)}</td>
              <td class="num">{formatNumber(run.logCount)}</td>
              <td class="num">{formatNumber(run.metricPointCount)}</td>
              <td>
                <input
                  type="radio"
                  name="run-a"
                  aria-label={`run ${run.id} as A`}
                  checked={a === String(run.id)}
                  onChange={() => set({ a: String(run.id) })}
                />
              </td>
              <td>
                <input
                  type="radio"
                  name="run-b"
                  aria-label={`run ${run.id} as B`}
                  checked={b === String(run.id)}
                  onChange={() => set({ b: String(run.id) })}
                />
              </td>
              <td>
                <Link to={{ page: 'traces', query: { run: [String(run.id)] } }}>traces</Link>{' '}
                <a href={api.runExportUrl(run.id)} download={`sightline-run-${run.id}.jsonl.gz`}>
                  export
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && !runs.loading ? <Empty>No runs yet.</Empty> : null}
      {!a || !b ? <p class="muted">Pick run A and run B to compare them.</p> : null}
      <div class="filters">
        <ServiceSelect value={one(q, 'service')} onChange={(v) => set({ service: v })} />
      </div>
      <ErrorBox error={compare.error} />
      <Loading when={compare.loading && !!a && !!b} />
      {compare.data ? (
        <>
          <h2>
            {`A #${compare.data.a.id} ${compare.data.a.name}`} <span class="muted">vs</span>{' '}
            {`B #${compare.data.b.id} ${compare.data.b.name}`}
          </h2>
          <p class="muted">
            <span class="key-a">■</span> A <span class="key-b">■</span> B — distribution shares per
            latency bucket
          </p>
          <table class="results compare" aria-label="run comparison">
            <thead>
              <tr>
                <th>Operation</th>
                <th class="num">Count</th>
                <th class="num">p50</th>
                <th class="num">p95</th>
                <th class="num">p99</th>
                <th class="num">Errors</th>
                <th class="num">Throughput</th>
                <th>Distribution</th>
              </tr>
            </thead>
            <tbody>
              {sortComparison(compare.data.operations).map((op) => {
                const x = side(op.a);
                const y = side(op.b);
                return (
                  <tr key={`${op.service}|${op.operation}`}>
                    <td>
                      <ServiceChip name={op.service} /> <span class="op">{op.operation}</span>
                    </td>
                    <Cell a={x?.count} b={y?.count} format={formatNumber} neutral />
                    <Cell a={x?.p50Ms} b={y?.p50Ms} format={formatDuration} />
                    <Cell a={x?.p95Ms} b={y?.p95Ms} format={formatDuration} />
                    <Cell a={x?.p99Ms} b={y?.p99Ms} format={formatDuration} />
                    <Cell a={x?.errorRate} b={y?.errorRate} format={formatPercent} />
                    <Cell
                      a={x?.throughput}
                      b={y?.throughput}
                      format={formatRate}
                      higherIsWorse={false}
                    />
                    <td>
                      <Histogram
                        a={x?.histogram ?? new Array((y?.histogram ?? []).length).fill(0)}
                        b={y?.histogram}
                        bounds={compare.data?.boundsMs ?? []}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {compare.data.operations.length === 0 ? <Empty>Neither run has spans.</Empty> : null}
        </>
      ) : null}
    </section>
  );
}
