/**
 * `node --import @sightline/node/register app.js`: starts Sightline from the environment alone
 * (`OTEL_*`, `SIGHTLINE_*`, `SIGHTLINE_CONFIG`) before the app's first line runs, for ESM and
 * CommonJS apps alike. A configuration error disables telemetry with one message on stderr; it never
 * stops the app from starting.
 */
import { init } from './lifecycle/init.js';

try {
  init();
} catch (error) {
  process.stderr.write(`sightline: telemetry is disabled: ${(error as Error).message}\n`);
}
