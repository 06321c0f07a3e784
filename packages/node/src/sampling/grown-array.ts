/**
 * A copy of `a` with `n` elements, built by pushing: that keeps its elements fast, where setting
 * `length` on a large array could turn it into a dictionary.
 */
export function grown<T>(a: Array<T | undefined>, n: number): Array<T | undefined> {
  const b: Array<T | undefined> = [];
  for (let i = 0; i < n; i++) b.push(i < a.length ? a[i] : undefined);
  return b;
}
