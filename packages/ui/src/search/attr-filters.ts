/**
 * Attribute filters as typed in a search box: `key=value` tokens separated by spaces, a value with
 * spaces in double quotes (`http.route="/a b"`), or a bare `key` for "present". The API takes each as
 * one `attr` parameter.
 */

/**
 * @example
 * parseAttrFilters('http.status_code=500 user.name="Ada L"'); // ['http.status_code=500', 'user.name=Ada L']
 */
export function parseAttrFilters(text: string): string[] {
  const out: string[] = [];
  const pattern = /([^\s=]+)(?:=(?:"((?:[^"\\]|\\.)*)"|(\S*)))?/g;
  for (const match of text.matchAll(pattern)) {
    const key = match[1] as string;
    if (match[2] !== undefined) out.push(`${key}=${match[2].replace(/\\(.)/g, '$1')}`);
    else if (match[3] !== undefined) out.push(`${key}=${match[3]}`);
    else out.push(key);
  }
  return out;
}

/**
 * The inverse of `parseAttrFilters`, for showing URL state in the search box.
 *
 * @example
 * formatAttrFilters(['user.name=Ada L']); // 'user.name="Ada L"'
 */
export function formatAttrFilters(filters: readonly string[]): string {
  return filters
    .map((filter) => {
      const eq = filter.indexOf('=');
      if (eq < 0) return filter;
      const key = filter.slice(0, eq);
      const value = filter.slice(eq + 1);
      return /[\s"\\]/.test(value) || value === ''
        ? `${key}="${value.replace(/(["\\])/g, '\\$1')}"`
        : `${key}=${value}`;
    })
    .join(' ');
}
