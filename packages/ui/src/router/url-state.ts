/**
 * Every view's state lives in the URL: a route (the page and, for a trace, its id) plus query
 * parameters. Parsing and formatting are pure so a link reproduces a view exactly.
 */

export type PageName =
  | 'traces'
  | 'trace'
  | 'services'
  | 'metrics'
  | 'logs'
  | 'memory'
  | 'runs'
  | 'status'
  | 'not-found';

/** Query parameters of a route; repeated keys (such as `attr`) keep every value in order. */
export type Query = Readonly<Record<string, readonly string[]>>;

export interface Route {
  page: PageName;
  /** The trace id on the trace page. */
  id?: string;
  query: Query;
}

const LIST_PAGES: Record<string, PageName> = {
  traces: 'traces',
  services: 'services',
  metrics: 'metrics',
  logs: 'logs',
  memory: 'memory',
  runs: 'runs',
  status: 'status',
};

function parseQuery(search: string): Query {
  const out: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (value === '') continue;
    const list = out[key];
    if (list) list.push(value);
    else out[key] = [value];
  }
  return out;
}

/**
 * Parses a location into a route.
 *
 * @example
 * parseRoute('/traces/5b8e', '?span=eee1'); // { page: 'trace', id: '5b8e', query: { span: ['eee1'] } }
 */
export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  const query = parseQuery(search);
  if (parts.length === 0) return { page: 'traces', query };
  const [first, second] = parts;
  if (first === 'traces' && second !== undefined && parts.length === 2) {
    let id: string;
    try {
      id = decodeURIComponent(second);
    } catch {
      return { page: 'not-found', query };
    }
    return { page: 'trace', id, query };
  }
  const page = first !== undefined && parts.length === 1 ? LIST_PAGES[first] : undefined;
  return { page: page ?? 'not-found', query };
}

/**
 * Formats a route as `path?query`, the inverse of `parseRoute`. Keys are sorted so equal states give
 * equal URLs; empty values are dropped.
 *
 * @example
 * formatRoute({ page: 'logs', query: { text: ['timeout'] } }); // '/logs?text=timeout'
 */
export function formatRoute(route: Route): string {
  let path: string;
  if (route.page === 'trace') path = `/traces/${encodeURIComponent(route.id ?? '')}`;
  else if (route.page === 'not-found') path = '/';
  else path = `/${route.page}`;
  const params = new URLSearchParams();
  for (const key of Object.keys(route.query).sort()) {
    for (const value of route.query[key] ?? []) if (value !== '') params.append(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The first value of a query parameter, or undefined. */
export function one(query: Query, key: string): string | undefined {
  return query[key]?.[0];
}

/** Every value of a query parameter. */
export function many(query: Query, key: string): readonly string[] {
  return query[key] ?? [];
}

/** A number parameter, or undefined when absent or not a finite number. */
export function num(query: Query, key: string): number | undefined {
  const text = one(query, key);
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A copy of `query` with keys set (a string, a list, or undefined/'' to remove).
 *
 * @example
 * withParams({ a: ['1'] }, { a: undefined, b: '2' }); // { b: ['2'] }
 */
export function withParams(
  query: Query,
  changes: Record<string, string | readonly string[] | undefined>,
): Query {
  const out: Record<string, readonly string[]> = { ...query };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
      delete out[key];
    else out[key] = typeof value === 'string' ? [value] : value;
  }
  return out;
}
