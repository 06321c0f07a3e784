import type { AllocationSite } from './allocation-profiler.js';
import type { LeakSeverity } from './leak-severity.js';
import type { MemoryPool } from './leak-verdict.js';
import type { MemoryReading } from './memory-reading.js';
import type { SizeClass } from './size-classes.js';

/** Everything the memory telemetry knows, as plain JSON-serialisable data. */
export interface MemoryReport {
  generatedAt: string;
  /** Readings taken and evaluations made. */
  snapshots: {
    count: number;
    intervalMillis: number;
    latest: MemoryReading | undefined;
    heapUsedAfterGc: number | undefined;
  };
  leaks: {
    pool: MemoryPool;
    severity: LeakSeverity;
    growthBytesPerHour: number;
    /** null when not growing (JSON has no Infinity). */
    hoursToExhaustion: number | null;
    pValue: number;
    windowMillis: number;
    reason: string;
  }[];
  /** Undefined when the allocation profiler is off. */
  allocations:
    | {
        samplingIntervalBytes: number;
        totalBytes: number;
        samples: number;
        bytesPerSecond: number;
        topSites: AllocationSite[];
        sizeClasses: Record<SizeClass, { bytes: number; samples: number }>;
        components: Record<string, number>;
        efficiency: {
          score: number;
          allocatedBytes: number;
          retainedBytes: number;
          gcSeconds: number;
          wallSeconds: number;
        };
      }
    | undefined;
}

/**
 * The report as readable text: snapshots summary, leak analysis, top allocators, size distribution.
 *
 * @example
 * ```ts
 * console.log(formatMemoryReport(getMemoryTelemetry()!.report()));
 * ```
 */
export function formatMemoryReport(report: MemoryReport): string {
  const lines: string[] = [`Sightline memory report — ${report.generatedAt}`, ''];
  const s = report.snapshots;
  lines.push(`Snapshots: ${s.count} every ${(s.intervalMillis / 1000).toFixed(0)} s`);
  if (s.latest) {
    const l = s.latest;
    lines.push(
      `  rss ${mib(l.rss)}  heap ${mib(l.heapUsed)} / ${mib(l.heapTotal)} (limit ${mib(l.heapLimit)})  ` +
        `external ${mib(l.external)}  array buffers ${mib(l.arrayBuffers)}`,
    );
  }
  if (s.heapUsedAfterGc !== undefined)
    lines.push(`  heap after last major GC ${mib(s.heapUsedAfterGc)}`);
  lines.push('', 'Leak analysis:');
  for (const leak of report.leaks) {
    const tte =
      leak.hoursToExhaustion === null ? '' : `, limit in ${leak.hoursToExhaustion.toFixed(1)} h`;
    lines.push(
      `  ${leak.pool.padEnd(8)} ${leak.severity.padEnd(8)} ${signedMib(leak.growthBytesPerHour)}/h${tte} — ${leak.reason}`,
    );
  }
  const a = report.allocations;
  if (!a) {
    lines.push('', 'Allocation profiler: off');
    return lines.join('\n');
  }
  lines.push(
    '',
    `Allocations (sampling every ${kib(a.samplingIntervalBytes)}): ${mib(a.totalBytes)} estimated, ` +
      `${mib(a.bytesPerSecond)}/s, ${a.samples} samples; efficiency ${a.efficiency.score.toFixed(3)}`,
    '',
    'Top allocators:',
  );
  a.topSites.forEach((site, i) => {
    const where = site.file ? `${site.file}:${site.line}:${site.column}` : '(native)';
    lines.push(
      `  ${String(i + 1).padStart(2)}. ${mib(site.bytes).padStart(10)}  ${site.functionName}  ${where}`,
    );
  });
  lines.push('', 'Size distribution:');
  const total = Object.values(a.sizeClasses).reduce((sum, c) => sum + c.bytes, 0) || 1;
  for (const [name, c] of Object.entries(a.sizeClasses)) {
    lines.push(
      `  ${name.padEnd(7)} ${mib(c.bytes).padStart(10)}  ${((c.bytes / total) * 100).toFixed(1).padStart(5)} %`,
    );
  }
  const components = Object.entries(a.components);
  if (components.length > 0) {
    lines.push('', 'Components:');
    for (const [name, bytes] of components) lines.push(`  ${mib(bytes).padStart(10)}  ${name}`);
  }
  return lines.join('\n');
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
}
function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
