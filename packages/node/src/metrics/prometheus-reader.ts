import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from '../config/resolve.js';
import { loadModule } from '../export/otlp-exporter-options.js';

export interface PrometheusEndpoint {
  reader: PrometheusExporter;
  server: Server;
  /** Resolves with the bound port once listening (useful with port 0). */
  listening: Promise<number>;
}

/**
 * The Prometheus pull exporter, served by our own listener so that a scrape can be required to carry
 * a bearer token (the official exporter has no authentication). Binds loopback unless told otherwise;
 * `resolveConfig`/`init` refuse a non-loopback host without a token. A failure to listen (port in
 * use) is reported through `diag`, never thrown into the app.
 */
export function createPrometheusEndpoint(
  config: ResolvedConfig['metrics']['prometheus'],
  /** Resolves when the resource's asynchronous attributes (host id) are known. */
  ready: Promise<unknown> = Promise.resolve(),
  /** Collected with the SDK's metrics on each scrape (Prometheus is cumulative). */
  metricProducers: MetricProducer[] = [],
): PrometheusEndpoint {
  const { PrometheusExporter: Exporter } = loadModule<{
    PrometheusExporter: typeof PrometheusExporter;
  }>('@opentelemetry/exporter-prometheus');
  const reader = new Exporter({ preventServerStart: true, metricProducers });
  const expected = config.token === undefined ? undefined : Buffer.from(`Bearer ${config.token}`);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (expected !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
    }
    // Serialising reads the resource, which must not happen before its attributes settle.
    void ready.finally(() => reader.getMetricsRequestHandler(request, response));
  });
  server.unref();
  const listening = new Promise<number>((resolve) => {
    server.once('error', (error) => {
      diag.error(
        `sightline: Prometheus exporter cannot listen on ${config.host}:${config.port}: ${error.message}`,
      );
      resolve(-1);
    });
    server.listen(config.port, config.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : config.port);
    });
  });
  return { reader, server, listening };
}
