// Docker and Kubernetes do not run here: compose, Kubernetes, Collector, Jaeger and Tempo files are
// checked by parsing them and following every reference they make.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '@sightline/node';
import { parse, parseAllDocuments } from 'yaml';
import { deployPath } from './support/paths.mjs';

// Compose files use YAML merge keys (`<<: *collector`).
const yaml = (relative) => parse(readFileSync(deployPath(relative), 'utf8'), { merge: true });
const compose = yaml('compose/compose.yaml');
const k8sFiles = readdirSync(deployPath('k8s')).filter((f) => f.endsWith('.yaml'));
const k8sDocs = k8sFiles
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(readFileSync(deployPath(`k8s/${file}`), 'utf8')).map((d) => {
      assert.deepEqual(d.errors, [], file);
      return { file, doc: d.toJS() };
    }),
  );
const containers = k8sDocs.flatMap(({ file, doc }) =>
  (doc.spec?.template?.spec?.containers ?? []).map((c) => ({ file, workload: doc, container: c })),
);

/** image:tag with a tag that names a version (digits), not latest or a moving major. */
function assertPinned(image, where) {
  const match = /^[\w./-]+:(v?\d+\.\d+\.\d+)$/.exec(image);
  assert.ok(match, `${where}: image ${image} is not pinned to an x.y.z version`);
}

describe('compose', () => {
  const dir = deployPath('compose');

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services))
      assertPinned(service.image, name);
  });

  it('mounts only files and directories that exist', () => {
    let mounts = 0;
    for (const [name, service] of Object.entries(compose.services))
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.')) {
          assert.ok(
            compose.volumes && source in compose.volumes,
            `${name}: named volume ${source} is declared`,
          );
          continue;
        }
        mounts++;
        assert.ok(existsSync(resolve(dir, source)), `${name}: ${source} exists`);
      }
    assert.ok(mounts >= 8);
  });

  it('passes each service the config file it mounts', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const args = [service.command ?? []].flat().join(' ');
      const config = /(?:--config=|-config\.file=|--config\.file=)(\S+)/.exec(args)?.[1];
      if (config === undefined) continue;
      const mounted = (service.volumes ?? []).some((v) => {
        const target = v.split(':')[1];
        return config === target || config.startsWith(`${target}/`);
      });
      assert.ok(mounted, `${name}: ${config} is mounted`);
    }
  });

  it('has a health check for every service whose image can run one, and waits on it', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.healthcheck === undefined)
        assert.match(
          service.labels?.['dev.sightline.healthcheck'] ?? '',
          /^external: /,
          `${name} has a healthcheck`,
        );
      for (const [dependency, condition] of Object.entries(
        Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {}),
      ))
        if (condition.condition === 'service_healthy')
          assert.ok(
            compose.services[dependency].healthcheck,
            `${name} waits on ${dependency}'s healthcheck`,
          );
    }
  });

  it('publishes ports on loopback only', () => {
    for (const [name, service] of Object.entries(compose.services))
      for (const port of service.ports ?? [])
        assert.match(port, /^127\.0\.0\.1:/, `${name}: ${port}`);
  });

  it('mounts every file the Prometheus configuration names where it looks for it', () => {
    const config = yaml('prometheus/prometheus.yml');
    const mounts = compose.services.prometheus.volumes.map((v) => v.split(':')[1]);
    const paths = [
      ...config.rule_files,
      ...config.scrape_configs.flatMap((j) => (j.file_sd_configs ?? []).flatMap((sd) => sd.files)),
    ];
    for (const path of paths) {
      const absolute = `/etc/prometheus/${path}`;
      assert.ok(
        mounts.some((m) => absolute === m || absolute.startsWith(`${m}/`)),
        `${path} is mounted`,
      );
      const local = deployPath(`prometheus/${path.replace(/\/\*\.\w+$/, '')}`);
      assert.ok(existsSync(local), `${local} exists`);
    }
  });

  it('points Grafana, Jaeger and Prometheus at services and ports that exist', () => {
    const datasources = yaml('grafana/provisioning/datasources/datasources.yaml').datasources;
    const jaeger = yaml('jaeger/jaeger.yaml');
    const urls = [
      ...datasources.map((d) => d.url),
      jaeger.extensions.jaeger_storage.metric_backends.spanmetrics.prometheus.endpoint,
    ];
    const listens = {
      prometheus: [9090],
      tempo: [yaml('tempo/tempo.yaml').server.http_listen_port],
      jaeger: [Number(jaeger.extensions.jaeger_query.http.endpoint.split(':').at(-1))],
    };
    for (const url of urls) {
      const { hostname, port } = new URL(url);
      assert.ok(compose.services[hostname], `${url}: compose has ${hostname}`);
      assert.ok(listens[hostname].includes(Number(port)), `${url}: ${hostname} listens on ${port}`);
    }
  });

  it('gives Prometheus the token file its scrape job reads', () => {
    const job = yaml('prometheus/prometheus.yml').scrape_configs.find(
      (j) => j.job_name === 'sightline-apps',
    );
    const secret = compose.services.prometheus.secrets.find(
      (s) => s.target === `/etc/prometheus/${job.authorization.credentials_file}`,
    );
    assert.ok(secret, 'a secret is mounted where credentials_file points');
    assert.equal(compose.secrets[secret.source].environment, 'SIGHTLINE_PROMETHEUS_TOKEN');
  });
});

describe('kubernetes', () => {
  it('parses every manifest and names each resource', () => {
    assert.ok(k8sDocs.length >= 8);
    for (const { file, doc } of k8sDocs) {
      assert.ok(
        doc.apiVersion && doc.kind && doc.metadata?.name,
        `${file}: ${JSON.stringify(doc).slice(0, 80)}`,
      );
    }
  });

  it('lists in kustomization.yaml only files that exist, and every manifest', () => {
    const kustomization = yaml('k8s/kustomization.yaml');
    for (const resource of kustomization.resources)
      assert.ok(existsSync(deployPath(`k8s/${resource}`)), resource);
    assert.deepEqual(
      [...kustomization.resources].sort(),
      k8sFiles.filter((f) => f !== 'kustomization.yaml').sort(),
    );
    for (const generator of kustomization.configMapGenerator)
      for (const entry of generator.files) {
        const source = entry.split('=').at(-1);
        assert.ok(existsSync(deployPath(`k8s/${source}`)), `${generator.name}: ${source}`);
      }
  });

  it('pins every image and mounts only ConfigMaps that are generated', () => {
    const generated = new Set(yaml('k8s/kustomization.yaml').configMapGenerator.map((g) => g.name));
    for (const { file, workload, container } of containers) {
      assertPinned(container.image, `${file} ${container.name}`);
      for (const volume of workload.spec.template.spec.volumes ?? [])
        if (volume.configMap)
          assert.ok(generated.has(volume.configMap.name), volume.configMap.name);
    }
  });

  it('runs the agent as a DaemonSet and the gateway as a Deployment with a headless Service', () => {
    const kinds = k8sDocs.map(({ doc }) => `${doc.kind}/${doc.metadata.name}`);
    for (const expected of [
      'DaemonSet/sightline-agent',
      'Deployment/sightline-gateway',
      'Service/sightline-gateway-headless',
      'Deployment/checkout',
    ])
      assert.ok(kinds.includes(expected), expected);
    const headless = k8sDocs.find(
      ({ doc }) => doc.metadata.name === 'sightline-gateway-headless',
    ).doc;
    assert.equal(headless.spec.clusterIP, 'None');
    const agent = containers.find((c) => c.workload.metadata.name === 'sightline-agent').container;
    const hostname = agent.env.find((e) => e.name === 'GATEWAY_HOSTNAME').value;
    assert.equal(hostname.split('.')[0], 'sightline-gateway-headless');
  });

  it('starts the example app with --import and an SDK configuration that resolves without warnings', () => {
    const { container, workload } = containers.find((c) => c.workload.metadata.name === 'checkout');
    assert.deepEqual(container.command.slice(0, 3), [
      'node',
      '--import',
      '@sightline/node/register',
    ]);
    const env = Object.fromEntries(
      container.env.map((e) => [
        e.name,
        e.value ?? `secret:${e.valueFrom?.secretKeyRef?.name ?? 'field'}`,
      ]),
    );
    const warnings = [];
    const config = resolveConfig({ env, warn: (m) => warnings.push(m) });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.metrics.exporters, ['prometheus']);
    assert.equal(config.metrics.prometheus.host, '0.0.0.0');
    assert.ok(config.metrics.prometheus.token, 'off loopback the exporter needs a token');
    const annotations = workload.spec.template.metadata.annotations;
    assert.equal(annotations['sightline.dev/port'], String(config.metrics.prometheus.port));
    assert.match(env.OTEL_EXPORTER_OTLP_ENDPOINT, /^http:\/\/sightline-agent\.observability\.svc/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Collector-based configs (the Collector itself and Jaeger v2).

const SECTIONS = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'];
/** Component types these files use, by distribution: a typo is not a component. */
const KNOWN = {
  contrib: {
    receivers: ['otlp'],
    processors: ['memory_limiter', 'batch', 'resourcedetection', 'tail_sampling'],
    exporters: ['otlp', 'loadbalancing', 'prometheus', 'debug'],
    connectors: ['spanmetrics'],
    extensions: ['health_check'],
  },
  jaeger: {
    receivers: ['otlp'],
    processors: ['batch'],
    exporters: ['jaeger_storage_exporter'],
    connectors: [],
    extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
  },
};

function checkCollectorConfig(file, distribution) {
  const config = yaml(file);
  const defined = Object.fromEntries(
    SECTIONS.map((s) => [s, new Set(Object.keys(config[s] ?? {}))]),
  );
  const used = Object.fromEntries(SECTIONS.map((s) => [s, new Set()]));
  for (const section of SECTIONS)
    for (const id of defined[section])
      assert.ok(
        KNOWN[distribution][section].includes(id.split('/')[0]),
        `${file}: unknown ${section} type ${id}`,
      );
  for (const id of config.service.extensions ?? []) {
    assert.ok(defined.extensions.has(id), `${file}: extension ${id} is defined`);
    used.extensions.add(id);
  }
  const connectorAs = { receiver: new Set(), exporter: new Set() };
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    assert.match(name, /^(traces|metrics|logs)(\/[\w-]+)?$/, `${file}: pipeline name ${name}`);
    assert.ok(
      pipeline.receivers?.length > 0 && pipeline.exporters?.length > 0,
      `${file}: ${name} is complete`,
    );
    for (const id of pipeline.receivers) {
      if (defined.connectors.has(id)) connectorAs.receiver.add(id);
      else assert.ok(defined.receivers.has(id), `${file}: ${name} receiver ${id} is defined`);
      used[defined.connectors.has(id) ? 'connectors' : 'receivers'].add(id);
    }
    for (const id of pipeline.processors ?? []) {
      assert.ok(defined.processors.has(id), `${file}: ${name} processor ${id} is defined`);
      used.processors.add(id);
    }
    for (const id of pipeline.exporters) {
      if (defined.connectors.has(id)) connectorAs.exporter.add(id);
      else assert.ok(defined.exporters.has(id), `${file}: ${name} exporter ${id} is defined`);
      used[defined.connectors.has(id) ? 'connectors' : 'exporters'].add(id);
    }
    if (defined.processors.has('memory_limiter'))
      assert.equal(
        pipeline.processors?.[0],
        'memory_limiter',
        `${file}: ${name} starts with memory_limiter`,
      );
    const processors = pipeline.processors ?? [];
    if (processors.includes('batch') && processors.includes('tail_sampling'))
      assert.ok(
        processors.indexOf('tail_sampling') < processors.indexOf('batch'),
        `${file}: ${name} samples before batching`,
      );
  }
  for (const id of defined.connectors) {
    assert.ok(
      connectorAs.exporter.has(id) && connectorAs.receiver.has(id),
      `${file}: connector ${id} links two pipelines`,
    );
  }
  for (const section of SECTIONS)
    for (const id of defined[section])
      assert.ok(used[section].has(id), `${file}: ${section} ${id} is used`);
  return config;
}

/** `${env:NAME}` references without a default. */
const envReferences = (file) =>
  [...readFileSync(deployPath(file), 'utf8').matchAll(/\$\{env:(\w+)(:-[^}]*)?\}/g)].map((m) => ({
    name: m[1],
    hasDefault: m[2] !== undefined,
  }));

describe('collector configs', () => {
  const agent = checkCollectorConfig('collector/agent.yaml', 'contrib');
  const gateway = checkCollectorConfig('collector/gateway.yaml', 'contrib');
  checkCollectorConfig('jaeger/jaeger.yaml', 'jaeger');

  it('reference only defined components, and use every component they define', () => {
    // checkCollectorConfig above asserts this while the suite loads; it would have thrown.
    assert.ok(agent.service.pipelines.traces && gateway.service.pipelines['traces/sampled']);
  });

  it('set every environment variable they read where they run, or give it a default', () => {
    for (const [file, composeService, k8sName] of [
      ['collector/agent.yaml', 'agent', 'sightline-agent'],
      ['collector/gateway.yaml', 'gateway', 'sightline-gateway'],
    ]) {
      const k8sEnv = new Set(
        containers
          .find((c) => c.workload.metadata.name === k8sName)
          .container.env.map((e) => e.name),
      );
      for (const { name, hasDefault } of envReferences(file)) {
        assert.ok(
          name in (compose.services[composeService].environment ?? {}),
          `compose ${composeService} sets ${name}`,
        );
        assert.ok(k8sEnv.has(name) || hasDefault, `k8s ${k8sName} sets ${name}`);
      }
    }
  });

  it('route traces from the agent to the gateways by trace id', () => {
    assert.equal(agent.exporters.loadbalancing.routing_key, 'traceID');
    assert.deepEqual(agent.service.pipelines.traces.exporters, ['loadbalancing']);
  });

  it('count RED metrics from every span, before tail sampling drops any', () => {
    const pipelines = Object.values(gateway.service.pipelines);
    const red = pipelines.find((p) => p.exporters.includes('spanmetrics'));
    assert.ok(!(red.processors ?? []).includes('tail_sampling'));
    const metrics = gateway.service.pipelines.metrics;
    assert.ok(
      metrics.receivers.includes('spanmetrics') && metrics.exporters.includes('prometheus'),
    );
    // Prometheus scrapes the gateway's exporter where the compose scrape config says.
    const port = gateway.exporters.prometheus.endpoint.split(':').at(-1);
    const job = yaml('prometheus/prometheus.yml').scrape_configs.find(
      (j) => j.job_name === 'collector-spanmetrics',
    );
    assert.deepEqual(job.static_configs[0].targets, [`gateway:${port}`]);
  });

  it('tail-sample with the policies and defaults of the SDK tail sampler', async () => {
    const byName = Object.fromEntries(
      gateway.processors.tail_sampling.policies.map((p) => [p.name, p]),
    );
    assert.deepEqual(byName.error.status_code.status_codes, ['ERROR']);
    assert.deepEqual(byName.upstream.trace_state, { key: 'sightline', values: ['keep'] });
    const latency = Number(/:-(\d+)\}/.exec(byName.latency.latency.threshold_ms)[1]);
    const percent = Number(
      /:-(\d+)\}/.exec(byName.probabilistic.probabilistic.sampling_percentage)[1],
    );
    // The SDK's defaults, once its tail sampler is merged; the documented values until then.
    const tail = resolveConfig({ env: {} }).traces.tail;
    let sdk = {
      policies: ['error', 'latency', 'upstream', 'probabilistic'],
      latency: 1000,
      ratio: 0.1,
    };
    if (tail === undefined) {
      console.warn(
        '\n*** the SDK on this branch has no tail sampler yet: comparing with the values of docs/sampling.md (issue 8) ***\n',
      );
    } else {
      const spec = await import('../../packages/node/dist/src/sampling/tail-policy-spec.js');
      sdk = {
        policies: [...spec.DEFAULT_TAIL_POLICIES],
        latency: tail.latencyThresholdMillis,
        ratio: tail.fallbackRatio,
      };
    }
    assert.deepEqual(Object.keys(byName), sdk.policies);
    assert.equal(latency, sdk.latency);
    assert.equal(percent, sdk.ratio * 100);
  });

  it('export kept traces to both Jaeger and Tempo over OTLP, which listen where the gateway sends', () => {
    const sampled = gateway.service.pipelines['traces/sampled'].exporters;
    assert.deepEqual(sampled, ['otlp/jaeger', 'otlp/tempo']);
    const jaeger = yaml('jaeger/jaeger.yaml');
    assert.equal(jaeger.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    const tempo = yaml('tempo/tempo.yaml');
    assert.equal(tempo.distributor.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    assert.equal(compose.services.gateway.environment.JAEGER_ENDPOINT, 'jaeger:4317');
    assert.equal(compose.services.gateway.environment.TEMPO_ENDPOINT, 'tempo:4317');
  });

  it('bound memory first and keep queues and retries on every network exporter', () => {
    for (const config of [agent, gateway]) {
      assert.ok(config.processors.memory_limiter.limit_percentage > 0);
      for (const [id, exporter] of Object.entries(config.exporters)) {
        if (['prometheus', 'debug'].includes(id)) continue;
        const settings = id === 'loadbalancing' ? exporter.protocol.otlp : exporter;
        assert.equal(settings.sending_queue?.enabled, true, `${id} queues`);
        assert.equal(settings.retry_on_failure?.enabled, true, `${id} retries`);
      }
    }
  });
});

describe('tempo config', () => {
  it('keeps its data under the volume compose mounts', () => {
    const tempo = yaml('tempo/tempo.yaml');
    const volume = compose.services.tempo.volumes
      .find((v) => v.startsWith('tempo-data:'))
      .split(':')[1];
    for (const path of [tempo.storage.trace.wal.path, tempo.storage.trace.local.path])
      assert.ok(path.startsWith(`${volume}/`), path);
    assert.equal(dirname(compose.services.tempo.command[0].split('=')[1]), '/etc/tempo');
  });
});
