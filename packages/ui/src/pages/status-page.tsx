/** Store status: what is stored, the limits, what retention evicted, and ingest counters. */
import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { ErrorBox, Loading } from '../components/status.js';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
  humanKey,
} from '../format/format.js';

function value(key: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (/Bytes$/.test(key)) return formatBytes(v);
  if (/Ms$/.test(key) && /^(oldest|newest|last)/.test(key)) return formatDateTime(v);
  if (/Ms$/.test(key)) return formatDuration(v);
  return formatNumber(v);
}

function Table({
  title,
  rows,
}: {
  title: string;
  rows: Record<string, number | null | undefined>;
}) {
  return (
    <div class="card">
      <h2>{title}</h2>
      <table class="kv" aria-label={title}>
        <tbody>
          {Object.entries(rows).map(([k, v]) => (
            <tr key={k}>
              <th>{humanKey(k)}</th>
              <td class="num">{value(k, v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatusPage() {
  const stats = useApi((signal) => api.stats(signal), []);
  const health = useApi((signal) => api.health(signal), [], { live: false });
  const s = stats.data;
  return (
    <section class="page status-page">
      <h1>Store</h1>
      <ErrorBox error={stats.error} />
      <Loading when={stats.loading && !s} />
      {s ? (
        <>
          <p>
            {`Data directory `}
            <code>{s.dataDir}</code>
            {` · current run #${s.currentRunId}`}
            {health.data ? ` · viewer ${health.data.version}` : ''}
          </p>
          <div class="cards">
            <Table title="Stored" rows={s.stored} />
            <Table title="Limits" rows={s.limits} />
            <Table title="Evicted" rows={s.evicted} />
            <Table
              title="Ingest"
              rows={{
                ...Object.fromEntries(
                  Object.entries(s.ingest.accepted).map(([k, v]) => [`accepted ${k}`, v]),
                ),
                rejectedItems: s.ingest.rejectedItems,
                refusedRequests: s.ingest.refusedRequests,
                badRequests: s.ingest.badRequests,
                queueItems: s.ingest.queueItems,
              }}
            />
          </div>
          {(s.evicted.spans ?? 0) + (s.evicted.logs ?? 0) + (s.evicted.metricPoints ?? 0) > 0 ? (
            <div class="warn-box">
              Retention has evicted data: older traces, logs or points may be missing.
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
