/**
 * Ticks for a time axis: round steps (1, 2 or 5 times a power of ten) so labels read well.
 */

/**
 * Tick offsets from 0 to `spanMs`, about `target` of them, on a 1-2-5 step.
 *
 * @example
 * axisTicks(100, 5); // [0, 20, 40, 60, 80, 100]
 */
export function axisTicks(spanMs: number, target = 6): number[] {
  if (!(spanMs > 0) || !Number.isFinite(spanMs)) return [0];
  const raw = spanMs / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let i = 0; i * step <= spanMs * (1 + 1e-9); i++)
    ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}
