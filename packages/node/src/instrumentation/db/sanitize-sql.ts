const DIGIT = /[0-9]/;
const WORD = /[A-Za-z0-9_$]/;
const NUMBER =
  /^(?:0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?)/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Replaces every literal of an SQL statement by `?`: strings (`'…'`, `E'…'`, `$$…$$`,
 * `$tag$…$tag$`), numbers (`42`, `3.14`, `1e-3`, `0xff`), and drops comments (`-- …`, `/* … *\/`),
 * which can carry anything. Identifiers (`"quoted"` too), keywords, operators and bind parameters
 * (`$1`) stay. A quote left open swallows the rest, so an unparseable statement leaks nothing.
 *
 * @example
 * ```ts
 * sanitizeSql("SELECT * FROM users WHERE email = 'a@b.c' AND age > 30 LIMIT $1");
 * // => 'SELECT * FROM users WHERE email = ? AND age > ? LIMIT $1'
 * ```
 */
export function sanitizeSql(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (c === "'" || ((c === 'E' || c === 'e') && next === "'" && !WORD.test(sql[i - 1] ?? ''))) {
      i = skipQuoted(sql, c === "'" ? i : i + 1, c !== "'");
      out += '?';
      continue;
    }
    if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      const stop = end === -1 ? n : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '$') {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64));
      if (tag && !WORD.test(sql[i - 1] ?? '')) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
        out += '?';
        continue;
      }
      // `$1`: a bind parameter, kept.
      let j = i + 1;
      while (j < n && DIGIT.test(sql[j] as string)) j++;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if ((DIGIT.test(c) || (c === '.' && DIGIT.test(next ?? ''))) && !WORD.test(sql[i - 1] ?? '')) {
      const match = NUMBER.exec(sql.slice(i, i + 128));
      const length = match ? match[0].length : 1;
      if (!WORD.test(sql[i + length] ?? '')) {
        out += '?';
        i += length;
        continue;
      }
    }
    if (WORD.test(c)) {
      // A whole identifier or keyword at once, so digits inside names (`t1`) stay.
      let j = i + 1;
      while (j < n && WORD.test(sql[j] as string)) j++;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The index after a quoted string starting at `start` (`''` doubles; `\` escapes in E-strings). */
function skipQuoted(sql: string, start: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      if (sql[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
