// The app under load in the HTTP benchmark: a CommonJS node:http server, so the official
// instrumentations' require hooks see `http` and `pg` as they would in a typical app.
// BENCH_SCENARIO=hello answers a fixed body; BENCH_SCENARIO=api runs one PostgreSQL query per
// request and answers JSON. Prints `READY <port>` once listening; exits on SIGTERM.
'use strict';
const http = require('node:http');

const scenario = process.env.BENCH_SCENARIO ?? 'hello';
let pool;
if (scenario === 'api') {
  const { Pool } = require('pg');
  pool = new Pool({
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
    max: 10,
  });
}

const hello = Buffer.from('hello world');
const server = http.createServer((req, res) => {
  if (req.url === '/__cpu') {
    // The driver reads CPU time before and after the measured load: CPU per request is robust to a
    // busy machine in a way that requests per second is not.
    const body = JSON.stringify({
      process: process.cpuUsage(),
      mainThread: process.threadCpuUsage?.(),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return;
  }
  if (scenario === 'hello') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': hello.length });
    res.end(hello);
    return;
  }
  pool.query('SELECT $1::int AS id, $2::text AS name', [42, 'widget']).then(
    (result) => {
      const body = JSON.stringify({ ok: true, item: result.rows[0] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    },
    (error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error.message));
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  pool?.end();
  // The SDK variants flush on their own SIGTERM hooks, registered before this one; give them
  // time, then leave.
  setTimeout(() => process.exit(0), 3000).unref();
});
