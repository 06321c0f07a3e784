/**
 * Serves the web UI: the files of a directory (default: the built `@sightline/ui`, `dist/` next to its
 * package.json, found by package resolution), or a small placeholder page when there is none. Paths are
 * confined to the directory; unknown paths without an extension get index.html (client-side routing).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_HEADERS, CONTENT_SECURITY_POLICY } from './security-headers.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The directory of the built UI, or undefined when `@sightline/ui` is not installed or not built. */
export function defaultUiDir(): string | undefined {
  try {
    const pkg = fileURLToPath(import.meta.resolve('@sightline/ui/package.json'));
    const dist = join(dirname(pkg), 'dist');
    return existsSync(join(dist, 'index.html')) ? dist : undefined;
  } catch {
    return undefined;
  }
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sightline</title></head>
<body><h1>Sightline viewer</h1>
<p>The web UI (<code>@sightline/ui</code>) is not built. The receiver and the query API are running:
see <a href="/api/stats">/api/stats</a> and docs/viewer-api.md.</p></body></html>
`;

function headers(type: string, length: number): Record<string, string> {
  return {
    ...COMMON_HEADERS,
    'content-type': type,
    'content-length': String(length),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-cache',
  };
}

export function createStaticHandler(
  uiDir: string | undefined,
): (path: string, res: ServerResponse, head: boolean) => Promise<void> {
  const root = uiDir ? resolve(uiDir) : undefined;
  const indexHtml = root ? readFileSync(join(root, 'index.html')) : Buffer.from(PLACEHOLDER);
  return async (path, res, head) => {
    let file: string | undefined;
    if (root && path !== '/' && path !== '/index.html') {
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        decoded = '';
      }
      const candidate = normalize(join(root, decoded));
      if (decoded && !decoded.includes('\0') && candidate.startsWith(root + sep)) {
        try {
          if (statSync(candidate).isFile()) file = candidate;
        } catch {
          // not a file: fall through
        }
      }
      if (!file && extname(decoded)) {
        const body = Buffer.from('not found\n');
        res.writeHead(404, headers('text/plain; charset=utf-8', body.length));
        res.end(head ? undefined : body);
        return;
      }
    }
    const body = file ? await readFile(file) : indexHtml;
    const type = file
      ? (TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
      : TYPES['.html'];
    res.writeHead(200, headers(type as string, body.length));
    res.end(head ? undefined : body);
  };
}
