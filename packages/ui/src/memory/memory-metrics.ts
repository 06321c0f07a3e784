/**
 * Which stored metrics belong on the Memory page, and in which panel: the runtime's heap, RSS,
 * external memory and GC (`v8js.*`, `process.memory.*`, `sightline.memory.*`), the leak detector
 * (`sightline.memory.leak.*`) and arenas (`sightline.arena.*`).
 */

export type MemoryPanel = 'heap' | 'rss' | 'external' | 'gc' | 'leak' | 'arena' | 'other';

export const PANEL_TITLES: Record<MemoryPanel, string> = {
  heap: 'Heap',
  rss: 'Resident set (RSS)',
  external: 'External and array buffers',
  gc: 'Garbage collection',
  leak: 'Leak detector',
  arena: 'Arenas',
  other: 'Other memory metrics',
};

/**
 * @example
 * memoryPanel('v8js.gc.duration'); // 'gc'
 * memoryPanel('http.server.request.duration'); // undefined
 */
export function memoryPanel(name: string): MemoryPanel | undefined {
  if (name.startsWith('sightline.memory.leak.')) return 'leak';
  if (name.startsWith('sightline.arena.')) return 'arena';
  if (name.startsWith('v8js.gc.') || name.startsWith('sightline.memory.gc')) return 'gc';
  if (
    /external|array_buffers/.test(name) &&
    (name.startsWith('sightline.memory.') ||
      name.startsWith('nodejs.') ||
      name.startsWith('process.') ||
      name.startsWith('v8js.'))
  )
    return 'external';
  if (
    name.startsWith('v8js.memory.heap') ||
    name.startsWith('v8js.heap') ||
    name.startsWith('sightline.memory.heap')
  )
    return 'heap';
  if (
    name === 'process.memory.usage' ||
    name.startsWith('process.memory.') ||
    name.startsWith('sightline.memory.rss')
  )
    return 'rss';
  if (name.startsWith('sightline.memory.')) return 'other';
  return undefined;
}

/** Severity names of the leak detector, by the value its severity gauge reports. */
export const LEAK_SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;

export interface LeakReading {
  name: string;
  unit: string;
  value: number;
  attributes: Record<string, unknown>;
}

export interface LeakVerdict {
  severity: string;
  suspected: boolean;
  growth?: LeakReading;
  readings: LeakReading[];
}

/**
 * The leak detector's verdict from the latest value of each `sightline.memory.leak.*` series: the
 * severity gauge's value indexes LEAK_SEVERITIES (a `severity` attribute wins when present), the
 * first metric whose name mentions growth is the growth rate.
 *
 * @example
 * leakVerdict([{ name: 'sightline.memory.leak.severity', unit: '1', value: 3, attributes: {} }]).severity; // 'high'
 */
export function leakVerdict(readings: readonly LeakReading[]): LeakVerdict {
  let severity = 'none';
  let rank = 0;
  for (const reading of readings) {
    const attr = Object.entries(reading.attributes).find(([k]) => k.endsWith('severity'))?.[1];
    let name: string | undefined;
    if (reading.name.endsWith('severity')) name = LEAK_SEVERITIES[Math.round(reading.value)];
    if (
      typeof attr === 'string' &&
      (LEAK_SEVERITIES as readonly string[]).includes(attr) &&
      (reading.name.endsWith('severity') || reading.value > 0)
    )
      name = attr;
    const r = name ? LEAK_SEVERITIES.indexOf(name as (typeof LEAK_SEVERITIES)[number]) : -1;
    if (name && r > rank) {
      rank = r;
      severity = name;
    }
  }
  const growth = readings.find((r) => /growth|rate/.test(r.name));
  return { severity, suspected: rank > 0, ...(growth ? { growth } : {}), readings: [...readings] };
}
