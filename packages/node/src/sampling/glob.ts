/** A compiled glob: `*` matches any run of characters, `?` exactly one; everything else is literal. */
export type GlobMatcher = (value: string) => boolean;

/**
 * Compiles a glob once, for matching span names, routes and attribute values in sampling rules and
 * policies. A pattern without wildcards is a plain string comparison.
 */
export function compileGlob(pattern: string): GlobMatcher {
  if (pattern === '*') return () => true;
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => regex.test(value);
}
