/** `GET /api/runs/{id}/export`: streams the run's bundle (application/gzip). */
import type { ServerResponse } from 'node:http';
import { ApiError } from '../http/api-error.js';
import { COMMON_HEADERS } from '../http/security-headers.js';
import type { Params } from '../query/params.js';
import type { Store } from '../store/store.js';
import { exportRun } from './export-bundle.js';

export function exportRunRoute(
  store: Store,
): [RegExp, (match: string[], res: ServerResponse, params: Params) => Promise<void>] {
  return [
    /^\/api\/runs\/(\d+)\/export$/,
    async (match, res) => {
      const id = Number(match[0]);
      const runs = await store.query('SELECT id FROM runs WHERE id = $1', [id]);
      if (runs.length === 0) throw new ApiError(404, 'not_found', `no run with id ${id}`);
      res.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'application/gzip',
        'content-disposition': `attachment; filename="sightline-run-${id}.jsonl.gz"`,
        'cache-control': 'no-store',
      });
      await exportRun(store, id, res);
    },
  ];
}
