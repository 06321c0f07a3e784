// A minimal OTLP/HTTP JSON receiver for the example: it keeps every request body it is sent.
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

export async function startJsonSink() {
  const received = { traces: [], metrics: [], logs: [] };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const signal = req.url?.replace(/^\/v1\//, '');
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (!(signal in received)) throw new Error(`unknown path ${req.url}`);
        received[signal].push(JSON.parse(body.toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error.message));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
