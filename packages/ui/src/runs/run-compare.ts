/** Ordering and deltas for the run comparison table. */

/**
 * Operations in both runs first, then by total count: the comparable rows lead.
 *
 * @example
 * sortComparison(comparison.operations)[0]; // an operation present in A and B
 */
export function sortComparison<
  T extends { a: { count: number } | null; b: { count: number } | null },
>(ops: readonly T[]): T[] {
  const both = (op: T) => (op.a && op.b ? 1 : 0);
  const total = (op: T) => (op.a?.count ?? 0) + (op.b?.count ?? 0);
  return [...ops].sort((x, y) => both(y) - both(x) || total(y) - total(x));
}

/**
 * Relative change from a to b, as text with a sign, or '' when not comparable.
 *
 * @example
 * relativeChange(20, 30); // '+50%'
 */
export function relativeChange(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined || a === 0) return '';
  const percent = Math.round(((b - a) / a) * 100);
  if (percent === 0) return '±0%';
  return `${percent > 0 ? '+' : ''}${percent}%`;
}
