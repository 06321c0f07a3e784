/** The `sightline` command and its subcommands. */
import { Command } from 'commander';
import { registerDemo } from './demo-command.js';
import { registerDev } from './dev-command.js';
import { registerDoctor } from './doctor-command.js';
import { registerExportImport } from './export-import-commands.js';
import { VERSION } from './version.js';

export function createProgram(): Command {
  const program = new Command('sightline')
    .description('Sightline: OpenTelemetry-native observability for Node.js')
    .version(VERSION);
  registerDev(program);
  registerDemo(program);
  registerDoctor(program);
  registerExportImport(program);
  return program;
}
