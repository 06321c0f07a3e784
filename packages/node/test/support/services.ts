/**
 * The real PostgreSQL (127.0.0.1:5432, db `test`) and Redis (127.0.0.1:6379) of this machine, for
 * end-to-end tests. When one is unreachable the tests that need it skip with a loud notice, except
 * under `SIGHTLINE_REQUIRE_SERVICES=1`, where they fail.
 */
import { connect } from 'node:net';

export type Service = 'postgres' | 'redis';

const PORTS: Record<Service, number> = { postgres: 5432, redis: 6379 };

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * `undefined` when the service is there; otherwise the reason to skip, printed loudly. Throws when
 * `SIGHTLINE_REQUIRE_SERVICES=1`.
 */
export async function serviceSkipReason(service: Service): Promise<string | undefined> {
  if (await reachable(PORTS[service])) return undefined;
  const reason = `${service} is not reachable at 127.0.0.1:${PORTS[service]}`;
  if (process.env.SIGHTLINE_REQUIRE_SERVICES === '1')
    throw new Error(`${reason}, and SIGHTLINE_REQUIRE_SERVICES=1 requires it`);
  process.stderr.write(
    `\n!!!!!!!!\n!!! SKIPPING the ${service} tests: ${reason} (set SIGHTLINE_REQUIRE_SERVICES=1 to fail instead)\n!!!!!!!!\n\n`,
  );
  return reason;
}

/** The PostgreSQL user: `PGUSER`, else `postgres` (this machine trusts `postgres` and `root`). */
export const PG_USER = process.env.PGUSER ?? 'postgres';
