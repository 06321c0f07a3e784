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
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { init } from './lifecycle/init.js';

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
