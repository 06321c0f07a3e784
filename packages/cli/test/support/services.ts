/**
 * PostgreSQL and Redis for end-to-end tests: their URLs when reachable; otherwise a loud notice
 * (the demo then uses its embedded stand-ins), or a failure under `SIGHTLINE_REQUIRE_SERVICES=1`.
 */
import { connect } from 'node:net';

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function serviceUrls(): Promise<{ databaseUrl: string; redisUrl: string }> {
  const user = process.env.PGUSER ?? 'postgres';
  const found = { databaseUrl: '', redisUrl: '' };
  for (const [key, port, url, name] of [
    ['databaseUrl', 5432, `postgres://${user}@127.0.0.1:5432/test`, 'PostgreSQL'],
    ['redisUrl', 6379, 'redis://127.0.0.1:6379', 'Redis'],
  ] as const) {
    if (await reachable(port)) {
      found[key] = url;
      continue;
    }
    const reason = `${name} is not reachable at 127.0.0.1:${port}`;
    if (process.env.SIGHTLINE_REQUIRE_SERVICES === '1')
      throw new Error(`${reason}, and SIGHTLINE_REQUIRE_SERVICES=1 requires it`);
    process.stderr.write(
      `\n!!!!!!!!\n!!! ${reason}: the demo test uses the embedded stand-in instead (set SIGHTLINE_REQUIRE_SERVICES=1 to fail)\n!!!!!!!!\n\n`,
    );
  }
  return found;
}
