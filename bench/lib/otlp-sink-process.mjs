// The OTLP sink of otlp-sink.mjs in a child process of its own. A driver that generates load from
// its own thread (autocannon) must not also decode what the server under test exports: every
// exported span would then slow the load generator, and with it the variants that export. The
// sink still shares the machine's cores, as a collector on the same host would.
import { fork } from 'node:child_process';
import { once } from 'node:events';

const CHILD = new URL('./otlp-sink-child.mjs', import.meta.url);

/**
 * Starts the sink process; resolves once it listens. `read()` resolves with its counts (as
 * `startOtlpSink().counts`, without the last metric body), `reset()` zeroes them.
 */
export async function startOtlpSinkProcess() {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = await once(child, 'message');
  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    pending.get(message.id)?.(message.counts);
    pending.delete(message.id);
  });
  const ask = (type) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, type });
    });
  return {
    url: `${ready.baseUrl}/v1/traces`,
    baseUrl: ready.baseUrl,
    metricsUrl: `${ready.baseUrl}/v1/metrics`,
    read: () => ask('read'),
    reset: () => ask('reset'),
    stop: async () => {
      await ask('stop');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
