const MAX_LENGTH = 32_768;

/**
 * Replaces every literal of an SQL statement by `?`: strings (`'…'`, `E'…'`, `$$…$$`,
 * `$tag$…$tag$`), numbers (`42`, `3.14`, `1e-3`, `0xff`), and drops comments (`-- …`, `/* … *\/`),
 * which can carry anything. Identifiers (`"quoted"` too), keywords, operators and bind parameters
 * (`$1`) stay. A quote left open swallows the rest, so an unparseable statement leaks nothing.
 * Statements longer than 32 KiB are recorded in part, ending with ` …`.
 *
 * @example
 * ```ts
 * sanitizeSql("SELECT * FROM users WHERE email = 'a@b.c' AND age > 30 LIMIT $1");
 * // => 'SELECT * FROM users WHERE email = ? AND age > ? LIMIT $1'
 * ```
 */
export function sanitizeSql(statement: string): string {
  // Scanning megabytes of a bulk statement per query is not worth its cost.
  const sql = statement.length > MAX_LENGTH ? statement.slice(0, MAX_LENGTH) : statement;
  const n = sql.length;
  let out = '';
  let copied = 0; // sql[copied, i) is still to be copied as is
  let i = 0;
  const replace = (end: number, by: string) => {
    out += sql.slice(copied, i) + by;
    i = end;
    copied = end;
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (c === 45 /* - */ && next === 45) {
      const end = sql.indexOf('\n', i);
      replace(end === -1 ? n : end, '');
    } else if (c === 47 /* / */ && next === 42 /* * */) {
      const end = sql.indexOf('*/', i + 2);
      replace(end === -1 ? n : end + 2, '');
    } else if (c === 39 /* ' */) {
      replace(skipQuoted(sql, i, false), '?');
    } else if ((c === 69 || c === 101) /* E e */ && next === 39 && !isWord(sql.charCodeAt(i - 1))) {
      replace(skipQuoted(sql, i + 1, true), '?');
    } else if (c === 34 /* " */) {
      // A quoted identifier: kept.
      const end = sql.indexOf('"', i + 1);
      i = end === -1 ? n : end + 1;
    } else if (c === 36 /* $ */) {
      const tagEnd = dollarTagEnd(sql, i);
      if (tagEnd !== -1 && !isWord(sql.charCodeAt(i - 1))) {
        const tag = sql.slice(i, tagEnd);
        const end = sql.indexOf(tag, tagEnd);
        replace(end === -1 ? n : end + tag.length, '?');
      } else {
        // `$1`: a bind parameter, kept.
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
      }
    } else if (
      (isDigit(c) || (c === 46 /* . */ && isDigit(next))) &&
      !isWord(sql.charCodeAt(i - 1))
    ) {
      const end = numberEnd(sql, i);
      if (isWord(sql.charCodeAt(end))) i = end;
      else replace(end, '?');
    } else if (isWord(c)) {
      // A whole identifier or keyword at once, so digits inside names (`t1`) stay.
      i++;
      while (i < n && isWord(sql.charCodeAt(i))) i++;
    } else {
      i++;
    }
  }
  out += sql.slice(copied, n);
  return sql === statement ? out : `${out} …`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Letters, digits, `_` and `$`: the characters of identifiers. */
function isWord(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36
  );
}

/** The end of a number literal starting at `start` (`42`, `1_000`, `3.5e-2`, `.5`, `0xff`). */
function numberEnd(sql: string, start: number): number {
  let i = start;
  if (sql.charCodeAt(i) === 48 && (sql.charCodeAt(i + 1) | 32) === 120 /* x */) {
    i += 2;
    while (i < sql.length && (isHex(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
    return i;
  }
  while (i < sql.length && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
  if (sql.charCodeAt(i) === 46) {
    i++;
    while (i < sql.length && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
  }
  if ((sql.charCodeAt(i) | 32) === 101 /* e */) {
    let j = i + 1;
    const sign = sql.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(sql.charCodeAt(j))) {
      while (j < sql.length && isDigit(sql.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

function isHex(c: number): boolean {
  return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** The end of a `$$` or `$tag$` opening at `start`, or -1 when there is none. */
function dollarTagEnd(sql: string, start: number): number {
  let i = start + 1;
  const first = sql.charCodeAt(i);
  if (first === 36) return i + 1;
  if (!((first | 32) >= 97 && (first | 32) <= 122) && first !== 95) return -1;
  while (i < sql.length && i - start < 64) {
    const c = sql.charCodeAt(i);
    if (c === 36) return i + 1;
    if (!isWord(c) || c === 36) return -1;
    i++;
  }
  return -1;
}

/** The index after a quoted string starting at `start` (`''` doubles; `\` escapes in E-strings). */
function skipQuoted(sql: string, start: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (backslashEscapes && c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === 39) {
      if (sql.charCodeAt(i + 1) === 39) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
