/**
 * `sightline dev`: starts the viewer (OTLP receiver, store, API, UI) in the foreground, prints its
 * endpoints, and on SIGINT/SIGTERM stops listening, commits what it has and exits.
 */

import { startViewer, type ViewerOptions } from '@sightline/viewer';
import { type Command, Option } from 'commander';
import { parseDuration, parsePort, parseSize } from './parse-size.js';

interface DevFlags {
  host: string;
  httpPort: number;
  grpcPort: number;
  grpc: boolean;
  dataDir?: string;
  token?: string;
  run?: string;
  maxSize?: number;
  maxAge?: number;
  ui?: string;
  json?: boolean;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('start the local viewer: OTLP receiver, durable store, query API and web UI')
    .option('--host <address>', 'address to listen on (non-loopback requires --token)', '127.0.0.1')
    .option('--http-port <port>', 'OTLP/HTTP, API and UI port (0 = any free port)', parsePort, 4318)
    .option('--grpc-port <port>', 'OTLP/gRPC port (0 = any free port)', parsePort, 4317)
    .option('--no-grpc', 'do not listen for OTLP/gRPC')
    .option(
      '--data-dir <dir>',
      'store directory (default $XDG_STATE_HOME/sightline or ~/.local/state/sightline)',
    )
    .addOption(
      new Option('--token <token>', 'require this bearer token on every request').env(
        'SIGHTLINE_VIEWER_TOKEN',
      ),
    )
    .option('--run <name>', 'name of this run (default "dev <time>")')
    .option(
      '--max-size <size>',
      'retention: largest store size, e.g. 2GB (default 1GiB)',
      parseSize,
    )
    .option(
      '--max-age <duration>',
      'retention: oldest data kept, e.g. 3d (default 7d)',
      parseDuration,
    )
    .option('--ui <dir>', 'serve the UI from this directory')
    .option('--json', 'print the endpoints as one JSON line')
    .action(async (flags: DevFlags) => {
      const options: ViewerOptions = {
        host: flags.host,
        httpPort: flags.httpPort,
        grpcPort: flags.grpc ? flags.grpcPort : false,
      };
      if (flags.dataDir) options.dataDir = flags.dataDir;
      if (flags.token) options.token = flags.token;
      if (flags.run) options.runName = flags.run;
      if (flags.maxSize) options.maxBytes = flags.maxSize;
      if (flags.maxAge) options.maxAgeMs = flags.maxAge;
      if (flags.ui) options.uiDir = flags.ui;
      const viewer = await startViewer(options);
      const endpoints = {
        ui: `${viewer.httpUrl}/`,
        api: `${viewer.httpUrl}/api`,
        otlpHttp: viewer.httpUrl,
        otlpGrpc: viewer.grpcAddress ?? null,
        dataDir: viewer.dataDir,
        runId: viewer.runId,
      };
      if (flags.json) console.log(JSON.stringify(endpoints));
      else {
        console.log(`sightline dev: run ${viewer.runId}, data in ${viewer.dataDir}`);
        console.log(`  UI          ${endpoints.ui}${flags.token ? '?token=<your token>' : ''}`);
        console.log(`  OTLP/HTTP   ${endpoints.otlpHttp}  (OTEL_EXPORTER_OTLP_ENDPOINT)`);
        if (viewer.grpcAddress) console.log(`  OTLP/gRPC   ${viewer.grpcAddress}`);
        console.log(`  API         ${endpoints.api}  (docs/viewer-api.md)`);
      }
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        if (!flags.json) console.log(`sightline dev: ${signal}, committing and stopping`);
        viewer.close().then(
          () => {
            if (flags.json) console.log(JSON.stringify({ stopped: true, signal }));
            else console.log('sightline dev: stopped');
            process.exit(0);
          },
          (error: Error) => {
            console.error(`sightline dev: stop failed: ${error.message}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
