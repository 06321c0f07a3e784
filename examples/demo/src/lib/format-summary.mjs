// The demo summary as text for a terminal.

// Endpoint and service names come from telemetry, which is untrusted: no control characters reach
// the terminal (an escape sequence could rewrite what the user sees).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
export const printable = (text) =>
  String(text).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Below this, a heap that has not grown enough yet proves nothing. */
const MIN_LEAK_RUN_MS = 15_000;

const mb = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const ms = (value) => (typeof value === 'number' ? `${value.toFixed(1)} ms` : '-');

/**
 * @param {import('../index.js').DemoResult} result
 * @param {{ leak: boolean }} flags
 */
export function formatSummary(result, { leak }) {
  const { summary, load } = result;
  const lines = [
    '',
    `Summary (run ${summary.runId})`,
    `  requests sent        ${load.requests} (${load.errors} answered 5xx, ${load.failures} without an answer)`,
    `  traces stored        ${summary.traces}${summary.tracesCounted === 'all' ? '' : '+'}`,
    `  error traces kept    ${summary.errorTraces}`,
    `  services             ${printable(summary.services.join(', ')) || '(none yet)'}`,
    `  spans, logs, points  ${summary.spans}, ${summary.logs}, ${summary.metricPoints}`,
    '',
    `  ${'endpoint (gateway)'.padEnd(30)} ${'spans'.padStart(6)} ${'errors'.padStart(7)} ${'p50'.padStart(10)} ${'p99'.padStart(10)}`,
  ];
  for (const e of summary.endpoints) {
    lines.push(
      `  ${printable(e.endpoint).padEnd(30)} ${String(e.count).padStart(6)} ${`${(e.errorRate * 100).toFixed(1)}%`.padStart(7)} ${ms(e.p50Ms).padStart(10)} ${ms(e.p99Ms).padStart(10)}`,
    );
  }
  if (leak) {
    lines.push('');
    const suspects = summary.heap.filter((h) => h.suspected);
    for (const h of summary.heap.sort((a, b) => a.service.localeCompare(b.service))) {
      lines.push(
        `  live heap ${printable(h.service).padEnd(10)} ${h.growthBytes >= 0 ? '+' : ''}${mb(h.growthBytes)} over the run, ${mb(h.slopeBytesPerSecond)}/s, r²=${h.r2.toFixed(2)}${h.suspected ? '  <- leak suspected' : ''}`,
      );
    }
    lines.push(
      suspects.length === 0 && result.durationMs < MIN_LEAK_RUN_MS
        ? `  leak verdict: inconclusive, ${Math.round(result.durationMs / 1000)} s is too short (run --duration 20s or more)`
        : suspects.length > 0
          ? `  leak verdict: leak suspected in ${printable(suspects.map((h) => h.service).join(', '))} (its heap after full garbage collections keeps growing)`
          : '  leak verdict: no leak detected (no service heap grew after full garbage collections)',
    );
  }
  lines.push('', `Open the UI: ${result.uiUrl}`, '');
  return lines.join('\n');
}
