// A minimal express app. Sightline is started by `node --import @sightline/node/register` (see
// package.json): the HTTP server spans, route names (`GET /hello/:name`) and metrics need no code.
// One custom span shows how to add your own.
import { withSpan } from '@sightline/node';
import express from 'express';

const app = express();

app.get('/hello/:name', async (req, res) => {
  const greeting = await withSpan(
    'render greeting',
    { attributes: { 'greeting.length': req.params.name.length } },
    async () => `Hello, ${req.params.name}!`,
  );
  res.json({ greeting });
});

app.get('/fail', () => {
  throw new Error('this route fails on purpose');
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(`express-app listening on ${url}`);
  console.log(`  try: curl ${url}/hello/world   then open the viewer (npx sightline dev)`);
});
