// `npm start -w examples/demo`: the demo without the CLI (`sightline demo` takes the same flags).
import { parseArgs } from 'node:util';
import { runDemo } from './src/index.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '30s' },
    exit: { type: 'boolean', default: false },
    leak: { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(values.duration);
if (!match)
  throw new Error(`--duration: expected e.g. 20s, 90s, 2m or 500ms, got ${values.duration}`);
const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's'];

await runDemo({
  durationMs: Number(match[1]) * unit,
  exit: values.exit,
  leak: values.leak,
  json: values.json,
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
});
