/**
 * The `sightline` command as a user runs it: `sightline dev` prints its endpoints, receives OTLP, and stops
 * cleanly on SIGINT/SIGTERM; `sightline export` writes a run's bundle and `sightline import` reads it back
 * as a new run with the same spans, metric points and log records.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));
const exec = promisify(execFile);

function sightline(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, [BIN, ...args], { timeout: 60_000 });
}

interface Endpoints {
  ui: string;
  otlpHttp: string;
  otlpGrpc: string | null;
  runId: number;
}

// Children still alive when the suite ends (a failed assertion skipped their stop) are killed, so a
// failing test cannot leave a viewer running.
const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function dev(
  args: string[],
): Promise<{ child: ChildProcess; endpoints: Endpoints; lines: string[] }> {
  const child = spawn(
    process.execPath,
    [BIN, 'dev', '--http-port', '0', '--grpc-port', '0', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  rl.on('line', (l) => lines.push(l));
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const first = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sightline dev exited with ${code}: ${stderr}`)));
  });
  // without --json the first line is text; the tests that need endpoints pass --json
  const endpoints = (first.startsWith('{') ? JSON.parse(first) : {}) as Endpoints;
  return { child, endpoints, lines };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

const NOW = BigInt(Date.now()) * 1_000_000n;

async function sendSpans(url: string, traceId: string): Promise<number> {
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cli-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'cli', version: '1' },
            spans: [
              {
                traceId,
                spanId: '0102030405060708',
                name: 'root',
                kind: 2,
                startTimeUnixNano: String(NOW),
                endTimeUnixNano: String(NOW + 5_000_000n),
                attributes: [
                  { key: 'n', value: { intValue: '7' } },
                  { key: 'f', value: { doubleValue: 1.5 } },
                ],
                events: [{ name: 'ev', timeUnixNano: String(NOW + 1n), attributes: [] }],
                status: { code: 2, message: 'bad' },
              },
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

async function sendLogsAndMetrics(url: string, traceId: string): Promise<void> {
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'cli-test' } }] };
  const logs = {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: String(NOW),
                severityNumber: 17,
                body: { stringValue: 'oops' },
                traceId,
                spanId: '0102030405060708',
              },
            ],
          },
        ],
      },
    ],
  };
  const metrics = {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'cli.count',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ timeUnixNano: String(NOW), asInt: '3' }],
                },
              },
              {
                name: 'cli.summary',
                summary: {
                  dataPoints: [
                    {
                      timeUnixNano: String(NOW),
                      count: '2',
                      sum: 3,
                      quantileValues: [{ quantile: 0.5, value: 1 }],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
  for (const [path, body] of [
    ['/v1/logs', logs],
    ['/v1/metrics', metrics],
  ] as const) {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
  }
}

describe('sightline CLI', () => {
  it('dev prints its endpoints, receives OTLP, and stops cleanly on SIGTERM and SIGINT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-cli-'));
    try {
      const a = await dev(['--json', '--data-dir', dataDir, '--run', 'first']);
      assert.match(a.endpoints.ui, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.match(a.endpoints.otlpGrpc ?? '', /^127\.0\.0\.1:\d+$/);
      const traceId = 'aa'.repeat(16);
      assert.equal(await sendSpans(a.endpoints.otlpHttp, traceId), 200);
      assert.equal(await stop(a.child, 'SIGTERM'), 0);
      assert.match(a.lines.join('\n'), /"stopped":true,"signal":"SIGTERM"/);

      const b = await dev(['--data-dir', dataDir, '--run', 'second', '--json']);
      const t = (await (await fetch(`${b.endpoints.otlpHttp}/api/traces/${traceId}`)).json()) as {
        spans: { name: string; runId: number }[];
      };
      assert.equal(t.spans[0]?.name, 'root', 'the span survived the restart');
      assert.equal(b.endpoints.runId, 2);
      assert.equal(await stop(b.child, 'SIGINT'), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints human-readable endpoints without --json', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-cli-'));
    try {
      const a = await dev(['--data-dir', dataDir, '--no-grpc']);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await stop(a.child, 'SIGTERM'), 0);
      const text = a.lines.join('\n');
      assert.match(text, /UI {10}http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(text, /OTLP\/HTTP {3}http:\/\/127\.0\.0\.1:\d+/);
      assert.doesNotMatch(text, /OTLP\/gRPC/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a non-loopback host without --token, naming the error', async () => {
    await assert.rejects(
      sightline([
        'dev',
        '--host',
        '0.0.0.0',
        '--http-port',
        '0',
        '--grpc-port',
        '0',
        '--data-dir',
        mkdtempSync(join(tmpdir(), 'sl-')),
      ]),
      (e: { stderr: string; code: number }) =>
        e.code === 1 && /SIGHTLINE_ERR_VIEWER_TOKEN_REQUIRED/.test(e.stderr),
    );
    await assert.rejects(sightline(['dev', '--http-port', '99999']), (e: { stderr: string }) =>
      /not a port/.test(e.stderr),
    );
  });

  it('exports a run to a gzip bundle and imports it back as a new run, intact', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-cli-'));
    const bundle = join(dataDir, 'run-1.jsonl.gz');
    try {
      const a = await dev(['--json', '--data-dir', dataDir, '--no-grpc']);
      const traceId = 'bb'.repeat(16);
      assert.equal(await sendSpans(a.endpoints.otlpHttp, traceId), 200);
      await sendLogsAndMetrics(a.endpoints.otlpHttp, traceId);
      const before = await (await fetch(`${a.endpoints.otlpHttp}/api/traces/${traceId}`)).json();
      // the running viewer also serves the bundle
      const live = await fetch(`${a.endpoints.otlpHttp}/api/runs/1/export`);
      assert.equal(live.headers.get('content-type'), 'application/gzip');
      assert.ok((await live.arrayBuffer()).byteLength > 100);
      assert.equal(await stop(a.child, 'SIGTERM'), 0);

      const exported = await sightline([
        'export',
        '1',
        '-o',
        bundle,
        '--data-dir',
        dataDir,
        '--json',
      ]);
      assert.deepEqual(JSON.parse(exported.stdout), {
        run: 1,
        file: bundle,
        spans: 1,
        logs: 1,
        metricPoints: 2,
      });
      assert.ok(statSync(bundle).size > 0);
      const imported = await sightline([
        'import',
        bundle,
        '--name',
        'copy',
        '--data-dir',
        dataDir,
        '--json',
      ]);
      assert.deepEqual(JSON.parse(imported.stdout), {
        runId: 2,
        spans: 1,
        logs: 1,
        metricPoints: 2,
      });
      const runs = await sightline(['runs', '--data-dir', dataDir, '--json']);
      assert.deepEqual(
        (JSON.parse(runs.stdout) as { name: string; source: string; spans: number }[]).map((r) => [
          r.source,
          r.spans,
        ]),
        [
          ['dev', 1],
          ['import', 1],
        ],
      );

      const b = await dev(['--json', '--data-dir', dataDir, '--no-grpc']);
      try {
        const url = b.endpoints.otlpHttp;
        const t = (await (await fetch(`${url}/api/traces/${traceId}`)).json()) as {
          spans: Record<string, unknown>[];
          logs: Record<string, unknown>[];
        };
        assert.equal(t.spans.length, 2, 'the original and the imported copy');
        const orig = (before as { spans: Record<string, unknown>[] }).spans[0] as Record<
          string,
          unknown
        >;
        const copy = t.spans.find((s) => s.runId === 2) as Record<string, unknown>;
        for (const k of [
          'traceId',
          'spanId',
          'name',
          'kind',
          'startTimeUnixNano',
          'endTimeUnixNano',
          'status',
          'attributes',
          'events',
          'scope',
          'service',
        ])
          assert.deepEqual(copy[k], orig[k], k);
        assert.equal(t.logs.length, 2);
        const summary = (await (
          await fetch(`${url}/api/metrics/points?name=cli.summary&run=2`)
        ).json()) as {
          points: { quantileValues: unknown; count: number }[];
        };
        assert.deepEqual(summary.points[0]?.quantileValues, [{ quantile: 0.5, value: 1 }]);
        const count = (await (
          await fetch(`${url}/api/metrics/points?name=cli.count&run=2`)
        ).json()) as {
          points: { value: number; isInt: boolean; isMonotonic: boolean }[];
        };
        assert.deepEqual(
          [count.points[0]?.value, count.points[0]?.isInt, count.points[0]?.isMonotonic],
          [3, true, true],
        );
      } finally {
        await stop(b.child, 'SIGTERM');
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
