/** The `sightline` command and its subcommands. */
import { Command } from 'commander';
import { registerDev } from './dev-command.js';
import { registerExportImport } from './export-import-commands.js';
import { VERSION } from './version.js';

export function createProgram(): Command {
  const program = new Command('sightline')
    .description('Sightline: OpenTelemetry-native observability for Node.js')
    .version(VERSION);
  registerDev(program);
  registerExportImport(program);
  return program;
}
