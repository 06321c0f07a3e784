/**
 * Find in a trace: spans whose name, service, span id or any attribute key or value contains the
 * text (case-insensitive). Pure, so the trace page can highlight and step through matches.
 */
import { formatValue } from '../format/format.js';

export interface SearchableSpan {
  spanId: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
}

/**
 * @example
 * matchSpans([{ spanId: 'a', name: 'GET /x', service: 'api', attributes: {} }], 'get'); // Set { 'a' }
 */
export function matchSpans(spans: readonly SearchableSpan[], text: string): Set<string> {
  const needle = text.trim().toLowerCase();
  const out = new Set<string>();
  if (!needle) return out;
  for (const span of spans) {
    if (
      span.name.toLowerCase().includes(needle) ||
      span.service.toLowerCase().includes(needle) ||
      span.spanId === needle ||
      Object.entries(span.attributes).some(
        ([k, v]) =>
          k.toLowerCase().includes(needle) || formatValue(v).toLowerCase().includes(needle),
      )
    )
      out.add(span.spanId);
  }
  return out;
}

/**
 * The next id after `current` in `order` (wrapping around) that satisfies `wanted`, or undefined.
 *
 * @example
 * nextMatch(['a', 'b', 'c'], 'b', (id) => id !== 'b'); // 'c'
 */
export function nextMatch(
  order: readonly string[],
  current: string | undefined,
  wanted: (id: string) => boolean,
): string | undefined {
  const at = current === undefined ? -1 : order.indexOf(current);
  for (let n = 1; n <= order.length; n++) {
    const id = order[(at + n + order.length) % order.length] as string;
    if (wanted(id)) return id;
  }
  return undefined;
}
