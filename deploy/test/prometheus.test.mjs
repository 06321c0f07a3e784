// promtool on the shipped Prometheus files: check config, check rules, and the rule unit tests.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { deployPath, repoPath } from './support/paths.mjs';
import { findPrometheusTools, promtool } from './support/promtool.mjs';
import { rules } from './support/references.mjs';

const tools = findPrometheusTools();

describe('promtool on deploy/prometheus', { skip: tools === undefined }, () => {
  // A copy with the token file that compose (a secret) and Kubernetes (a Secret volume) provide.
  const dir = mkdtempSync(join(tmpdir(), 'sightline-promtool-'));
  cpSync(deployPath('prometheus'), dir, { recursive: true });
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  writeFileSync(join(dir, 'secrets/sightline-prometheus-token'), 'token\n');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the compose scrape configuration and its rule files', () => {
    const { status, output } = promtool(tools.promtool, [
      'check',
      'config',
      join(dir, 'prometheus.yml'),
    ]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS: 1 rule files found/);
  });

  it('accepts the Kubernetes scrape configuration', () => {
    let file = join(dir, 'kubernetes.yml');
    let { status, output } = promtool(tools.promtool, ['check', 'config', file]);
    if (status !== 0 && /field kubernetes_sd_configs not found/.test(output)) {
      // Debian builds Prometheus without Kubernetes discovery: check everything else (relabelling,
      // authorization, rule files) with the discovery replaced by a static target.
      console.warn(
        '\n*** promtool has no Kubernetes discovery (Debian build): checking kubernetes.yml with static targets instead ***\n',
      );
      const config = parse(readFileSync(file, 'utf8'));
      for (const job of config.scrape_configs) {
        assert.ok(
          job.kubernetes_sd_configs?.every((sd) => sd.role === 'pod'),
          job.job_name,
        );
        delete job.kubernetes_sd_configs;
        job.static_configs = [{ targets: ['127.0.0.1:9464'] }];
      }
      file = join(dir, 'kubernetes-static.yml');
      writeFileSync(file, stringify(config));
      ({ status, output } = promtool(tools.promtool, ['check', 'config', file]));
    }
    assert.equal(status, 0, output);
  });

  it('rejects a scrape configuration whose token file is missing', () => {
    rmSync(join(dir, 'secrets/sightline-prometheus-token'));
    try {
      const { status, output } = promtool(tools.promtool, [
        'check',
        'config',
        join(dir, 'prometheus.yml'),
      ]);
      assert.notEqual(status, 0);
      assert.match(output, /sightline-prometheus-token/);
    } finally {
      writeFileSync(join(dir, 'secrets/sightline-prometheus-token'), 'token\n');
    }
  });

  it('accepts the alert and recording rules', () => {
    const { status, output } = promtool(tools.promtool, [
      'check',
      'rules',
      deployPath('prometheus/rules/sightline.yml'),
    ]);
    assert.equal(status, 0, output);
  });

  it('passes the rule unit tests', () => {
    const { status, output } = promtool(tools.promtool, [
      'test',
      'rules',
      deployPath('prometheus/tests/sightline.test.yml'),
    ]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS/);
  });

  it('has a unit test for every alert', () => {
    const tests = parse(
      readFileSync(deployPath('prometheus/tests/sightline.test.yml'), 'utf8'),
    ).tests;
    const tested = new Set(
      tests.flatMap((t) =>
        (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
      ),
    );
    const untested = rules()
      .filter((r) => r.alert && !tested.has(r.alert))
      .map((r) => r.alert);
    assert.deepEqual(untested, []);
  });
});

describe('alert rules', () => {
  it('link to runbook sections that exist', () => {
    const runbook = readFileSync(repoPath('docs/runbook.md'), 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const rule of rules().filter((r) => r.alert)) {
      const link = rule.annotations?.runbook;
      assert.match(link ?? '', /^docs\/runbook\.md#/, `${rule.alert} has a runbook link`);
      const anchor = link.split('#')[1];
      assert.ok(anchors.has(anchor), `${rule.alert}: docs/runbook.md has no section #${anchor}`);
    }
  });

  it('have a severity and a summary', () => {
    for (const rule of rules().filter((r) => r.alert)) {
      assert.ok(['info', 'warning', 'critical'].includes(rule.labels?.severity), rule.alert);
      assert.ok(rule.annotations?.summary, rule.alert);
    }
  });
});
