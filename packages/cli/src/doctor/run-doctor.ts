/** `sightline doctor` as a function: configuration findings, endpoint checks and the export plan. */
import { checkEndpoint, type EndpointCheck } from './check-endpoint.js';
import { type ExportPlan, exportPlan } from './export-plan.js';
import { diagnoseConfig, type Finding } from './find-problems.js';

export interface DoctorReport {
  /** True when nothing is an error and every endpoint check passed. */
  ok: boolean;
  findings: Finding[];
  checks: EndpointCheck[];
  plan: ExportPlan | undefined;
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip the network checks. */
  check?: boolean;
  /** Per check, in ms. Default the smaller of the OTLP timeout and 5000. */
  timeoutMs?: number;
}

/**
 * @example
 * ```ts
 * const report = await runDoctor({ env: process.env });
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const { config, findings } = diagnoseConfig(options.env ?? process.env);
  const checks: EndpointCheck[] = [];
  if (config?.enabled && options.check !== false) {
    const targets = (['traces', 'metrics', 'logs'] as const).filter((signal) =>
      (config[signal].exporters as string[]).includes('otlp'),
    );
    checks.push(
      ...(await Promise.all(
        targets.map((signal) =>
          checkEndpoint(
            signal,
            config[signal].otlp,
            options.timeoutMs ?? Math.min(config[signal].otlp.timeoutMillis, 5000),
          ),
        ),
      )),
    );
  }
  return {
    ok: !findings.some((f) => f.severity === 'error') && checks.every((c) => c.ok),
    findings,
    checks,
    plan: config ? exportPlan(config) : undefined,
  };
}
