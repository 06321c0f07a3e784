/** The doctor report as text; colour only on a terminal (DESIGN D8). */
import type { DoctorReport } from './run-doctor.js';

// Values come from the environment and from whatever answered at the endpoint: no control
// characters reach the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const printable = (text: string): string =>
  text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function formatDoctorReport(report: DoctorReport, colour: boolean): string {
  const paint = (code: number, text: string): string =>
    colour ? `\u001b[${code}m${text}\u001b[0m` : text;
  const mark = {
    error: paint(31, 'error  '),
    warning: paint(33, 'warning'),
    info: paint(36, 'info   '),
  };
  const lines: string[] = ['sightline doctor', ''];
  lines.push('Configuration (code defaults + OTEL_* / SIGHTLINE_* environment + SIGHTLINE_CONFIG)');
  if (report.findings.length === 0)
    lines.push(`  ${paint(32, 'ok')}     no invalid, unknown or conflicting variables`);
  for (const f of report.findings)
    lines.push(
      `  ${mark[f.severity]} ${printable(f.variable ? `${f.variable}: ` : '')}${printable(f.message)}`,
    );

  if (report.plan) {
    const plan = report.plan;
    lines.push(
      '',
      `A service started now${plan.enabled ? '' : ' (telemetry disabled: sends nothing)'}`,
    );
    lines.push(`  service      ${printable(plan.service)}`);
    lines.push(`  propagators  ${plan.propagators.join(', ') || 'none'}`);
    for (const s of plan.signals) {
      const where = s.otlp
        ? `OTLP ${s.otlp.protocol} → ${s.otlp.url}${s.otlp.compression === 'gzip' ? ' (gzip)' : ''}${s.otlp.headerNames.length ? `, headers ${s.otlp.headerNames.join(', ')}` : ''}`
        : '';
      const others = s.exporters.filter((e) => e !== 'otlp');
      const target = [where, ...others].filter(Boolean).join(' + ') || 'nothing (exporter none)';
      lines.push(`  ${s.signal.padEnd(12)} ${plan.enabled ? printable(target) : 'nothing'}`);
      if (plan.enabled)
        for (const note of s.notes) lines.push(`  ${''.padEnd(12)}   ${printable(note)}`);
    }
  }

  if (report.checks.length > 0) {
    lines.push('', 'Export endpoints (an empty OTLP export request each)');
    for (const c of report.checks)
      lines.push(
        `  ${c.ok ? paint(32, 'ok   ') : paint(31, 'FAIL ')} ${c.signal.padEnd(8)} ${printable(`${c.url}  ${c.detail}`)} [${c.durationMs} ms]`,
      );
  }
  lines.push(
    '',
    report.ok ? paint(32, 'No problems found.') : paint(31, 'Problems found (see above).'),
    '',
  );
  return lines.join('\n');
}
