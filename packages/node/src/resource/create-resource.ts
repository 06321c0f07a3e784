import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultResource,
  detectResources,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  type ResourceDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import type { ResolvedConfig } from '../config/resolve.js';
import { containerDetector } from './container-detector.js';

/**
 * The process detector without `process.command_args`: command lines often carry secrets
 * (`--password=…`, tokens), and the resource goes out with every export.
 */
const processDetectorWithoutArgs: ResourceDetector = {
  detect(config) {
    const detected = processDetector.detect(config);
    const {
      'process.command_args': _args,
      'process.command_line': _line,
      ...attributes
    } = detected.attributes ?? {};
    return { ...detected, attributes };
  },
};

const DETECTORS: Record<string, ResourceDetector> = {
  host: hostDetector,
  os: osDetector,
  process: processDetectorWithoutArgs,
  serviceinstance: serviceInstanceIdDetector,
  container: containerDetector,
};

/**
 * The resource of every signal, lowest precedence first: the SDK defaults (`telemetry.sdk.*`,
 * `service.name=unknown_service:node`), the detectors, `resource.attributes` (which carries
 * `OTEL_RESOURCE_ATTRIBUTES` unless the `env` detector is off), then the `service.*` options.
 * Host id detection is asynchronous; exports wait for it through `waitForAsyncAttributes`.
 */
export function createResource(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv = process.env,
): Resource {
  const detectors = config.resource.detectors.flatMap((name) => DETECTORS[name] ?? []);
  const service: Record<string, string> = {};
  const { name, namespace, instanceId } = config.service;
  // The app's own version is only a fallback: a `service.version` attribute wins over it.
  const version =
    config.service.version ??
    (config.resource.attributes['service.version'] === undefined ? appVersion(env) : undefined);
  if (name !== undefined) service['service.name'] = name;
  if (version !== undefined) service['service.version'] = version;
  if (namespace !== undefined) service['service.namespace'] = namespace;
  if (instanceId !== undefined) service['service.instance.id'] = instanceId;
  return defaultResource()
    .merge(detectResources({ detectors }))
    .merge(resourceFromAttributes(config.resource.attributes))
    .merge(resourceFromAttributes(service));
}

/** The app's version: npm scripts export it; otherwise the package.json of the working directory. */
function appVersion(env: NodeJS.ProcessEnv): string | undefined {
  if (env.npm_package_version) return env.npm_package_version;
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
