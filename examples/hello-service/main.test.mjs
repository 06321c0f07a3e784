import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { printable } from './report.mjs';

const run = promisify(execFile);

describe('hello-service example', () => {
  it('exports every trace, metric and log record it produced, and prints them', async () => {
    const { stdout } = await run(process.execPath, ['main.mjs'], {
      cwd: import.meta.dirname,
      timeout: 60_000,
    });
    assert.match(stdout, /Sightline exported 15 spans in 5 traces/);
    // Client span → server span → render span: context crossed the HTTP hop.
    assert.match(stdout, /GET \/slow .*\n\s+GET \/slow .*\n\s+render greeting/);
    assert.match(stdout, /GET \/fail .*ERROR/);
    assert.match(stdout, /hello\.requests {2}\d+ series, total 5/);
    assert.match(stdout, /Log records \(5\)/);
    assert.match(
      stdout,
      /ERROR {2}failed \/fail: the greeting could not be rendered {2}trace [0-9a-f]{32}/,
    );
  });

  it('escapes control characters from telemetry before printing them', () => {
    assert.equal(printable('ok\u001b[31mred\n'), 'ok\\u001b[31mred\\u000a');
  });
});
