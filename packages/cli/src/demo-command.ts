/**
 * `sightline demo`: the viewer for a fresh run, four instrumented services calling each other, load
 * with a progress bar, a summary from the viewer, then serving until Ctrl-C (`--exit`: stop at once).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration, parsePort } from './parse-size.js';

interface DemoFlags {
  duration: number;
  exit?: boolean;
  leak?: boolean;
  port?: number;
  dataDir?: string;
  concurrency: number;
  json?: boolean;
  verbose?: boolean;
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError(`"${text}" is not a number of clients from 1 to 64`);
  return n;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run a traced demo system (gateway, orders, inventory, worker) against the viewer and summarise it',
    )
    .addOption(
      new Option('--duration <duration>', 'how long to drive load, e.g. 20s or 2m')
        .argParser(parseDuration)
        .default(30_000, '30s'),
    )
    .option('--exit', 'stop after the summary instead of serving until Ctrl-C')
    .option('--leak', 'switch on a memory leak in the inventory service and print the leak verdict')
    .option(
      '--port <port>',
      'viewer port (default 4318, or a free one when taken; 0 = free)',
      parsePort,
    )
    .option('--data-dir <dir>', 'viewer store directory (default: the viewer default)')
    .option('--concurrency <n>', 'concurrent clients', parseConcurrency, 4)
    .option('--json', 'print the result as JSON')
    .option('--verbose', "print the services' own output")
    .addHelpText(
      'after',
      '\nUses PostgreSQL when DATABASE_URL is set and Redis when REDIS_URL is set; embedded stand-ins otherwise.',
    )
    .action(async (flags: DemoFlags) => {
      // Loaded here, not at startup: the demo's services and their frameworks are only for `demo`.
      const { runDemo } = await import('@sightline/demo');
      await runDemo({
        durationMs: flags.duration,
        exit: flags.exit === true,
        leak: flags.leak === true,
        concurrency: flags.concurrency,
        json: flags.json === true,
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
        ...(flags.verbose
          ? {
              onServiceOutput: (service: string, line: string) =>
                process.stderr.write(`[${service}] ${line}\n`),
            }
          : {}),
      });
    });
}
