/**
 * `node --import @sightline/node/register app.js`: starts Sightline from the environment alone
 * (`OTEL_*`, `SIGHTLINE_*`, `SIGHTLINE_CONFIG`) before the app's first line runs, for ESM and
 * CommonJS apps alike. A configuration error disables telemetry with one message on stderr; it never
 * stops the app from starting.
 *
 * CommonJS modules are instrumented through `require` hooks; ESM modules need a loader hook, so this
 * entry registers `import-in-the-middle`'s (the one `@opentelemetry/instrumentation` uses) with
 * `module.register`, told to wrap only the modules an instrumentation asked for.
 */
import { register } from 'node:module';
import { isMainThread, workerData } from 'node:worker_threads';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { EXPORT_WORKER_MARK } from './export/span-export-protocol.js';
import { init } from './lifecycle/init.js';

// Node runs `--import` preloads in every worker thread too, whatever the worker's execArgv. The
// SDK's own export worker must not start a second SDK (and hook its modules) inside itself.
const isExportWorker =
  !isMainThread &&
  typeof workerData === 'object' &&
  workerData !== null &&
  (workerData as Record<string, unknown>)[EXPORT_WORKER_MARK] === true;

if (!isExportWorker) await start();

async function start(): Promise<void> {
  let waitForHooks: () => Promise<void> = async () => {};
  try {
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
    waitForHooks = waitForAllMessagesAcknowledged;
  } catch (error) {
    process.stderr.write(
      `sightline: ESM modules will not be instrumented: ${(error as Error).message}\n`,
    );
  }

  try {
    init();
    // The loader thread must know every hooked module before the app's first import.
    await waitForHooks();
  } catch (error) {
    process.stderr.write(`sightline: telemetry is disabled: ${(error as Error).message}\n`);
  }
}
