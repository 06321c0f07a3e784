// Starts the four demo services, each in its own Node process instrumented only through
// `node --import @sightline/node/register`, and wires their addresses together.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const REGISTER = import.meta.resolve('@sightline/node/register');
const service = (name) => fileURLToPath(new URL(`../services/${name}.mjs`, import.meta.url));

/**
 * @typedef {{ name: string, url: string, child: import('node:child_process').ChildProcess }} RunningService
 * @typedef {{
 *   otlpEndpoint: string,
 *   leak?: boolean,
 *   databaseUrl?: string | undefined,
 *   redisUrl?: string | undefined,
 *   failureRate?: number,
 *   onOutput?: (service: string, line: string) => void,
 * }} StartServicesOptions
 */

/**
 * Starts worker, inventory, orders and gateway (in the order their dependencies need).
 * @param {StartServicesOptions} options
 * @returns {Promise<{ services: RunningService[], gatewayUrl: string, stop(): Promise<void> }>}
 */
export async function startServices(options) {
  /** @type {RunningService[]} */
  const services = [];
  const stop = () => stopServices(services);
  try {
    const worker = await startOne('worker', {}, options, services);
    const inventory = await startOne(
      'inventory',
      options.leak ? { DEMO_LEAK: '1' } : {},
      options,
      services,
    );
    const orders = await startOne(
      'orders',
      { DEMO_INVENTORY_URL: inventory.url, DEMO_WORKER_URL: worker.url },
      options,
      services,
    );
    worker.child.send({ type: 'peers', ordersUrl: orders.url });
    const gateway = await startOne(
      'gateway',
      { DEMO_ORDERS_URL: orders.url, DEMO_INVENTORY_URL: inventory.url },
      options,
      services,
    );
    return { services, gatewayUrl: gateway.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The environment of a service: the caller's without any OTEL_/SIGHTLINE_ setting, plus ours. */
function serviceEnv(name, extra, options) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('OTEL_') &&
        !key.startsWith('SIGHTLINE_') &&
        key !== 'DATABASE_URL' &&
        key !== 'REDIS_URL' &&
        key !== 'NODE_OPTIONS',
    ),
  );
  return {
    ...env,
    OTEL_SERVICE_NAME: name,
    OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=sightline-demo,deployment.environment.name=demo',
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    // Short export intervals: the demo's summary is read seconds after the load stops.
    OTEL_BSP_SCHEDULE_DELAY: '500',
    OTEL_BLRP_SCHEDULE_DELAY: '500',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    SIGHTLINE_BAGGAGE_ATTRIBUTES: 'demo.customer.tier',
    DEMO_FAILURE_RATE: String(options.failureRate ?? 0.1),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...extra,
  };
}

/** @returns {Promise<RunningService>} */
async function startOne(name, extra, options, services) {
  const child = fork(service(name), [], {
    execArgv: [`--import=${REGISTER}`],
    env: serviceEnv(name, extra, options),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const entry = { name, url: '', child };
  services.push(entry);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (text) => {
      for (const line of String(text).split('\n')) if (line) options.onOutput?.(name, line);
    });
  }
  const ready = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message?.type === 'ready') resolve(message.url);
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`the ${name} service exited before it was ready (${signal ?? code})`)),
    );
    setTimeout(
      () => reject(new Error(`the ${name} service was not ready within 30 s`)),
      30_000,
    ).unref();
  });
  entry.url = /** @type {string} */ (await ready);
  return entry;
}

/** SIGTERM to each service (Sightline flushes, then the process exits); SIGKILL after 10 s. */
async function stopServices(services) {
  await Promise.all(
    services.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}
