import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startViewer, type Viewer } from '@sightline/viewer';
import type { DoctorReport } from '../src/doctor/run-doctor.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

/** Runs `sightline doctor --json` with exactly `env` (plus PATH), returning the report and exit code. */
async function doctor(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ report: DoctorReport; code: number }> {
  const clean = { PATH: process.env.PATH ?? '', ...env };
  try {
    const { stdout } = await run(process.execPath, [BIN, 'doctor', '--json', ...args], {
      env: clean,
      timeout: 30_000,
    });
    return { report: JSON.parse(stdout) as DoctorReport, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { report: JSON.parse(failed.stdout) as DoctorReport, code: failed.code };
  }
}

const about = (report: DoctorReport, variable: string) =>
  report.findings.filter((f) => f.variables.includes(variable));

describe('sightline doctor', () => {
  let viewer: Viewer;
  let dataDir: string;
  let notOtlp: ReturnType<typeof createServer>;
  let notOtlpUrl: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sightline-doctor-'));
    viewer = await startViewer({ httpPort: 0, grpcPort: 0, dataDir: join(dataDir, 'store') });
    // A web server that is not an OTLP receiver: every path is an HTML page.
    notOtlp = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
    );
    await new Promise<void>((resolve) => notOtlp.listen(0, '127.0.0.1', resolve));
    notOtlpUrl = `http://127.0.0.1:${(notOtlp.address() as AddressInfo).port}`;
  });
  after(async () => {
    await viewer.close();
    await new Promise((resolve) => notOtlp.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('passes a clean configuration whose endpoint answers OTLP, and prints where each signal goes', async () => {
    const { report, code } = await doctor({
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_EXPORTER_OTLP_ENDPOINT: viewer.httpUrl,
    });
    assert.equal(code, 0);
    assert.equal(report.ok, true);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(
      report.checks.map((c) => [c.signal, c.url, c.ok]),
      ['traces', 'metrics', 'logs'].map((s) => [s, `${viewer.httpUrl}/v1/${s}`, true]),
    );
    assert.equal(report.plan?.service, 'checkout');
    assert.equal(report.plan?.signals[0]?.otlp?.protocol, 'http/protobuf');
  });

  it('checks OTLP/gRPC and OTLP/HTTP JSON endpoints too', async () => {
    const grpc = await doctor({
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${viewer.grpcAddress}`,
    });
    assert.equal(grpc.report.ok, true, JSON.stringify(grpc.report.checks));
    const json = await doctor({
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: viewer.httpUrl,
    });
    assert.equal(json.report.ok, true, JSON.stringify(json.report.checks));
  });

  it('names an invalid value, the variable and what it expected, and fails', async () => {
    const { report, code } = await doctor(
      { OTEL_SERVICE_NAME: 'x', OTEL_BSP_MAX_QUEUE_SIZE: 'lots', OTEL_TRACES_SAMPLER: 'sometimes' },
      '--no-check',
    );
    assert.equal(code, 1);
    const [queue] = about(report, 'OTEL_BSP_MAX_QUEUE_SIZE');
    assert.equal(queue?.severity, 'error');
    assert.match(queue?.message ?? '', /"lots".*an integer >= 1/);
    assert.equal(about(report, 'OTEL_TRACES_SAMPLER')[0]?.severity, 'error');
  });

  it('names an unknown variable and suggests the one that was meant', async () => {
    const { report } = await doctor(
      { OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_ENDPIONT: 'http://collector:4318' },
      '--no-check',
    );
    const [typo] = about(report, 'OTEL_EXPORTER_OTLP_ENDPIONT');
    assert.equal(typo?.severity, 'warning');
    assert.match(typo?.message ?? '', /did you mean OTEL_EXPORTER_OTLP_ENDPOINT\?/);
  });

  it('names conflicting variables and says which one wins', async () => {
    const { report } = await doctor(
      {
        OTEL_SERVICE_NAME: 'a',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=b',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
        OTEL_LOGS_EXPORTER: 'otlp,none',
        OTEL_METRICS_EXPORTER: 'console',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://localhost:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4317',
        OTEL_PROPAGATORS: 'b3',
      },
      '--no-check',
    );
    assert.match(
      about(report, 'OTEL_RESOURCE_ATTRIBUTES')[0]?.message ?? '',
      /OTEL_SERVICE_NAME wins/,
    );
    assert.match(about(report, 'OTEL_TRACES_SAMPLER_ARG')[0]?.message ?? '', /ignored/);
    assert.match(about(report, 'OTEL_LOGS_EXPORTER')[0]?.message ?? '', /none wins/);
    assert.match(
      about(report, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT')[0]?.message ?? '',
      /ignored: OTEL_METRICS_EXPORTER does not include otlp/,
    );
    assert.match(
      about(report, 'OTEL_PROPAGATORS')
        .map((f) => f.message)
        .join('\n'),
      /leaves out tracecontext/,
    );
    // The traces endpoint is a signal-specific URL without /v1/traces, on no port mismatch (grpc + 4317).
    assert.equal(
      report.findings.some(
        (f) => f.variables.includes('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') && /4318/.test(f.message),
      ),
      false,
    );
    assert.ok(report.findings.every((f) => f.severity !== 'error'));
  });

  it('names both variables when the export batch is larger than the queue', async () => {
    const { report } = await doctor(
      {
        OTEL_SERVICE_NAME: 'x',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096',
        OTEL_BSP_MAX_QUEUE_SIZE: '1024',
      },
      '--no-check',
    );
    const [batch] = about(report, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
    assert.deepEqual(batch?.variables, [
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      'OTEL_BSP_MAX_QUEUE_SIZE',
    ]);
    assert.match(batch?.message ?? '', /exceeds maxQueueSize \(1024\); using 1024/);
  });

  it('says OTLP/HTTP on the gRPC port, and a specific endpoint without its /v1 path', async () => {
    const { report } = await doctor(
      { OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4317' },
      '--no-check',
    );
    const messages = about(report, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
      .map((f) => f.message)
      .join('\n');
    assert.match(messages, /traces use OTLP\/HTTP .* on 4317/);
    assert.match(messages, /used as is.*\/v1\/traces/);
  });

  it('says everything else is moot when OTEL_SDK_DISABLED=true', async () => {
    const { report } = await doctor({
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: 'x',
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    const [moot] = about(report, 'OTEL_SDK_DISABLED');
    assert.match(moot?.message ?? '', /no effect/);
    assert.deepEqual(moot?.variables.slice(1).sort(), ['OTEL_SERVICE_NAME', 'OTEL_TRACES_SAMPLER']);
    assert.equal(report.checks.length, 0, 'nothing to check when nothing would be sent');
    assert.equal(report.plan?.enabled, false);
  });

  it('reports a broken SIGHTLINE_CONFIG file as an error', async () => {
    const file = join(dataDir, 'sightline.json');
    await writeFile(file, '{ "traces": { "sampler": { "ratio": 7 } } }');
    const { report, code } = await doctor(
      { SIGHTLINE_CONFIG: file, OTEL_SERVICE_NAME: 'x' },
      '--no-check',
    );
    assert.equal(code, 1);
    const [broken] = about(report, 'SIGHTLINE_CONFIG');
    assert.equal(broken?.severity, 'error');
    assert.match(broken?.message ?? '', /traces\.sampler\.ratio/);
    assert.equal(report.plan, undefined);
  });

  it('fails an endpoint where nothing listens, naming what to do', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { report, code } = await doctor({
      OTEL_SERVICE_NAME: 'x',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    assert.equal(code, 1);
    assert.equal(report.checks.length, 3);
    for (const check of report.checks) {
      assert.equal(check.ok, false);
      assert.match(check.detail, /connection refused.*sightline dev/);
    }
  });

  it('fails an endpoint that answers but is not an OTLP receiver', async () => {
    const { report } = await doctor({
      OTEL_SERVICE_NAME: 'x',
      OTEL_EXPORTER_OTLP_ENDPOINT: notOtlpUrl,
    });
    assert.equal(report.ok, false);
    assert.match(report.checks[0]?.detail ?? '', /text\/html, not an OTLP response/);
    const wrongPath = await doctor({
      OTEL_SERVICE_NAME: 'x',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${viewer.httpUrl}/traces`,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    assert.equal(wrongPath.report.checks.length, 1);
    assert.equal(wrongPath.report.checks[0]?.ok, false);
  });

  it('prints a readable report without --json', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'doctor', '--no-check'], {
      env: {
        PATH: process.env.PATH ?? '',
        OTEL_SERVICE_NAME: 'checkout',
        OTEL_BSP_SCHEDULE_DELAY: 'soon',
      },
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    assert.match(stdout, /error\s+OTEL_BSP_SCHEDULE_DELAY: invalid value "soon"/);
    assert.match(stdout, /traces\s+OTLP http\/protobuf → http:\/\/localhost:4318\/v1\/traces/);
    assert.equal(stdout.includes('\u001b['), false, 'no colour when stdout is not a terminal');
  });

  it('never prints control characters from a variable to the terminal', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'doctor', '--no-check'], {
      env: { PATH: process.env.PATH ?? '', OTEL_SERVICE_NAME: 'evil\u001b]0;pwned\u0007name' },
    });
    assert.equal(stdout.includes('\u001b'), false);
    assert.match(stdout, /service\s+evil\\u001b\]0;pwned\\u0007name/);
  });
});
