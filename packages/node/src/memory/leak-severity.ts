/** How bad a detected leak is; `none` when there is no leak. Ordered: the index is the metric value. */
export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type LeakSeverity = (typeof SEVERITIES)[number];

/**
 * Severity thresholds. A leak is `critical` when it will exhaust its limit within
 * `criticalHoursToExhaustion` or grows at least `criticalBytesPerHour`; `high` and `medium` likewise;
 * any other detected leak is `low`. The first rule that matches wins.
 */
export interface SeverityThresholds {
  /** Default 1 hour. */
  criticalHoursToExhaustion: number;
  /** Default 512 MiB/h. */
  criticalBytesPerHour: number;
  /** Default 6 hours. */
  highHoursToExhaustion: number;
  /** Default 128 MiB/h. */
  highBytesPerHour: number;
  /** Default 24 hours. */
  mediumHoursToExhaustion: number;
  /** Default 32 MiB/h. */
  mediumBytesPerHour: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_SEVERITY_THRESHOLDS: Readonly<SeverityThresholds> = Object.freeze({
  criticalHoursToExhaustion: 1,
  criticalBytesPerHour: 512 * MIB,
  highHoursToExhaustion: 6,
  highBytesPerHour: 128 * MIB,
  mediumHoursToExhaustion: 24,
  mediumBytesPerHour: 32 * MIB,
});

/**
 * The severity of a detected leak from its growth rate and its time to exhaustion (`Infinity` when
 * there is no limit to run into).
 *
 * @example
 * ```ts
 * classifySeverity(40 * 2 ** 20, 30); // 'medium': 40 MiB/h, 30 h left
 * ```
 */
export function classifySeverity(
  bytesPerHour: number,
  hoursToExhaustion: number,
  thresholds: Readonly<SeverityThresholds> = DEFAULT_SEVERITY_THRESHOLDS,
): Exclude<LeakSeverity, 'none'> {
  if (
    hoursToExhaustion <= thresholds.criticalHoursToExhaustion ||
    bytesPerHour >= thresholds.criticalBytesPerHour
  )
    return 'critical';
  if (
    hoursToExhaustion <= thresholds.highHoursToExhaustion ||
    bytesPerHour >= thresholds.highBytesPerHour
  )
    return 'high';
  if (
    hoursToExhaustion <= thresholds.mediumHoursToExhaustion ||
    bytesPerHour >= thresholds.mediumBytesPerHour
  )
    return 'medium';
  return 'low';
}
