/**
 * Text formatting for numbers, durations, bytes, times and attribute values. Everything returns plain
 * strings that the UI renders as text nodes.
 */

/**
 * A duration in milliseconds, with a unit that keeps 3 significant digits.
 *
 * @example
 * formatDuration(0.25); // '250 µs'
 * formatDuration(1532); // '1.53 s'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 0.001) return `${trim(ms * 1e6)} ns`;
  if (abs < 1) return `${trim(ms * 1000)} µs`;
  if (abs < 1000) return `${trim(ms)} ms`;
  if (abs < 60_000) return `${trim(ms / 1000)} s`;
  if (abs < 3_600_000) return `${trim(ms / 60_000)} min`;
  return `${trim(ms / 3_600_000)} h`;
}

function trim(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * Bytes with a binary unit.
 *
 * @example
 * formatBytes(1536); // '1.5 KiB'
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${bytes < 0 ? '-' : ''}${trim(value)} ${units[unit]}`;
}

/**
 * A count or rate, short form.
 *
 * @example
 * formatNumber(12345); // '12.3k'
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (Number.isInteger(value)) return String(value);
  return trim(value);
}

/**
 * A rate per second; slow rates read better per minute or per hour.
 *
 * @example
 * formatRate(0.05); // '3/min'
 */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '–';
  if (perSecond === 0 || perSecond >= 1) return `${formatNumber(perSecond)}/s`;
  if (perSecond * 60 >= 1) return `${formatNumber(perSecond * 60)}/min`;
  return `${formatNumber(perSecond * 3600)}/h`;
}

/**
 * A fraction 0..1 as a percentage.
 *
 * @example
 * formatPercent(0.0125); // '1.25%'
 */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  if (fraction === 0) return '0%';
  return `${trim(fraction * 100)}%`;
}

/**
 * A value in a metric's UCUM unit: bytes and seconds get readable units, others a number + unit.
 *
 * @example
 * formatWithUnit(0.012, 's'); // '12 ms'
 */
export function formatWithUnit(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'By') return formatBytes(value);
  const per = /^(By|s|ms|1|\{[^}]*\})\/(s|min|h|d)$/.exec(unit);
  if (per) return `${formatWithUnit(value, per[1] as string)}/${per[2]}`;
  if (unit === 's') return formatDuration(value * 1000);
  if (unit === 'ms') return formatDuration(value);
  if (unit === 'us') return formatDuration(value / 1000);
  if (unit === 'ns') return formatDuration(value / 1e6);
  if (unit === '1') return trim(value);
  const label = unit.startsWith('{') ? '' : ` ${unit}`;
  return `${formatNumber(value)}${label}`;
}

/**
 * A wall-clock time, local, with milliseconds.
 *
 * @example
 * formatTime(Date.now()); // '18:04:05.123'
 */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * A date and time, local.
 *
 * @example
 * formatDateTime(0); // '1970-01-01 00:00:00' (in UTC)
 */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * An attribute or log body value (OTLP AnyValue as JSON) as one line of text.
 *
 * @example
 * formatValue({ bytes: 'AAE=' }); // 'bytes AAE='
 * formatValue([1, 'a']); // '[1,"a"]'
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'bytes')
      return `bytes ${String((value as { bytes: unknown }).bytes)}`;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** The OTLP span kind number as a word. */
export function spanKindName(kind: number): string {
  return SPAN_KINDS[kind] ?? `kind ${kind}`;
}

/** The OTLP severity number (1..24) as its short name. */
export function severityName(severityNumber: number, severityText = ''): string {
  if (severityText) return severityText;
  const names = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  if (severityNumber < 1 || severityNumber > 24) return 'UNSET';
  return names[Math.floor((severityNumber - 1) / 4)] ?? 'UNSET';
}

/**
 * A camelCase API field as words.
 *
 * @example
 * humanKey('maxRequestBytes'); // 'max request bytes'
 * humanKey('lastEvictionMs'); // 'last eviction'
 */
export function humanKey(key: string): string {
  return key
    .replace(/Ms$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}
