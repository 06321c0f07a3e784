/** Time range and run pickers shared by the search pages; both live in the URL. */
import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { RANGES } from '../router/time-range.js';
import { one, type Query } from '../router/url-state.js';

export function RangeSelect({
  query,
  onChange,
}: {
  query: Query;
  onChange: (range: string) => void;
}) {
  const explicit = one(query, 'start') !== undefined || one(query, 'end') !== undefined;
  const value = explicit ? 'custom' : (one(query, 'range') ?? 'all');
  return (
    <label>
      Time
      <select
        value={value}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {explicit ? <option value="custom">selection</option> : null}
        {RANGES.map((r) => (
          <option key={r} value={r}>
            {r === 'all' ? 'all time' : `last ${r}`}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RunSelect({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (run: string) => void;
}) {
  const runs = useApi((signal) => api.runs(signal), [], { live: false });
  return (
    <label>
      Run
      <select
        value={value ?? ''}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">all runs</option>
        {(runs.data?.runs ?? []).map((run) => (
          <option key={run.id} value={String(run.id)}>
            {`#${run.id} ${run.name}`}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ServiceSelect({
  value,
  onChange,
  label = 'Service',
}: {
  value: string | undefined;
  onChange: (service: string) => void;
  label?: string;
}) {
  const services = useApi((signal) => api.services({}, signal), []);
  const names = (services.data?.services ?? []).map((s) => s.name);
  if (value && !names.includes(value)) names.push(value);
  return (
    <label>
      {label}
      <select
        name="service"
        value={value ?? ''}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">all services</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
