/**
 * `sightline doctor`: reads the configuration the way the SDK would, names every invalid, unknown
 * or conflicting variable, checks that each export endpoint answers OTLP, and prints what a service
 * started now would send where. Exit code 1 when it found an error or a check failed.
 */
import type { Command } from 'commander';
import { formatDoctorReport } from './doctor/format-report.js';
import { runDoctor } from './doctor/run-doctor.js';
import { parseDuration } from './parse-size.js';

interface DoctorFlags {
  json?: boolean;
  check: boolean;
  timeout?: number;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the OTEL_*/SIGHTLINE_* configuration and the export endpoints, and show what would be sent where',
    )
    .option('--json', 'print the report as JSON')
    .option('--no-check', 'do not contact the export endpoints')
    .option(
      '--timeout <duration>',
      'per endpoint check, e.g. 2s (default: the OTLP timeout, at most 5s)',
      parseDuration,
    )
    .action(async (flags: DoctorFlags) => {
      const report = await runDoctor({
        env: process.env,
        check: flags.check,
        ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else
        process.stdout.write(
          formatDoctorReport(report, process.stdout.isTTY === true && !process.env.NO_COLOR),
        );
      if (!report.ok) process.exitCode = 1;
    });
}
