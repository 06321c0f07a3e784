/** Size classes of sampled allocations: upper bounds in bytes (exclusive), the last open-ended. */
export const SIZE_CLASSES = [
  { name: 'tiny', upTo: 64 },
  { name: 'small', upTo: 1024 },
  { name: 'medium', upTo: 16 * 1024 },
  { name: 'large', upTo: 256 * 1024 },
  { name: 'huge', upTo: Number.POSITIVE_INFINITY },
] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number]['name'];

/**
 * The size class of one allocation: tiny < 64 B ≤ small < 1 KiB ≤ medium < 16 KiB ≤ large < 256 KiB ≤ huge.
 *
 * @example
 * ```ts
 * sizeClassOf(2048); // 'medium'
 * ```
 */
export function sizeClassOf(bytes: number): SizeClass {
  for (const c of SIZE_CLASSES) if (bytes < c.upTo) return c.name;
  return 'huge';
}
