import { describeValue, invalidOption, SightlineError } from '../errors.js';
import { SETTINGS, SETTINGS_BY_PATH } from './settings.js';

/** One source of configuration, flattened to setting paths. */
export type Layer = ReadonlyMap<string, unknown>;

/** Receives one warning per invalid environment variable. */
export type Warn = (message: string) => void;

// Every dotted prefix of a setting path is an object that may hold further settings.
const CONTAINERS: ReadonlySet<string> = new Set(
  SETTINGS.flatMap((s) => {
    const parts = s.path.split('.');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

/**
 * Flattens and validates options given in code or in the config file. Invalid values throw
 * `SIGHTLINE_ERR_INVALID_OPTION` naming the option and value; unknown keys throw
 * `SIGHTLINE_ERR_UNKNOWN_OPTION`, since a typo would otherwise be silently ignored.
 */
export function layerFromOptions(options: unknown, origin = ''): Layer {
  const layer = new Map<string, unknown>();
  if (options === undefined || options === null) return layer;
  if (typeof options !== 'object' || Array.isArray(options)) {
    invalidOption(origin || 'options', options, 'an object');
  }
  walk(options as Record<string, unknown>, '', layer, origin);
  return layer;
}

function walk(
  object: Record<string, unknown>,
  prefix: string,
  layer: Map<string, unknown>,
  origin: string,
): void {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix + key;
    if (value === undefined) continue;
    const setting = SETTINGS_BY_PATH.get(path);
    const name = origin ? `${origin}: ${path}` : path;
    if (setting) {
      if (!setting.kind.check(value))
        invalidOption(name, value, setting.kind.problem?.(value) ?? setting.kind.expected);
      layer.set(path, value);
    } else if (CONTAINERS.has(path)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        invalidOption(name, value, 'an object');
      walk(value as Record<string, unknown>, `${path}.`, layer, origin);
    } else {
      throw new SightlineError(
        'SIGHTLINE_ERR_UNKNOWN_OPTION',
        `SIGHTLINE_ERR_UNKNOWN_OPTION: unknown option "${name}" (value ${describeValue(value)})`,
      );
    }
  }
}

/**
 * Reads every variable of the settings table. An invalid value is reported through `warn`, naming
 * the variable and the value, and ignored so the next source (file, then default) applies. Empty
 * values count as unset, as the specification says.
 */
export function layerFromEnv(env: NodeJS.ProcessEnv, warn: Warn): Layer {
  const layer = new Map<string, unknown>();
  for (const setting of SETTINGS) {
    if (!setting.env) continue;
    const raw = env[setting.env];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = setting.kind.parse(raw);
    if (parsed === undefined) {
      const expected = setting.kind.problem
        ? structuredProblem(raw, setting.kind.expected, setting.kind.problem)
        : setting.kind.expected;
      warn(
        `invalid value ${describeValue(raw)} for ${setting.env}: expected ${expected}; ignoring it`,
      );
      continue;
    }
    layer.set(setting.path, setting.fromEnv ? setting.fromEnv(parsed as never) : parsed);
  }
  return layer;
}

/** What is wrong with a structured environment value: its JSON syntax or its content. */
function structuredProblem(
  raw: string,
  expected: string,
  problem: (value: unknown) => string | undefined,
): string {
  const text = raw.trim();
  if (!text.startsWith('[') && !text.startsWith('{'))
    return problem(text.split(',').map((s) => s.trim())) ?? `${expected} as JSON`;
  try {
    return problem(JSON.parse(text)) ?? expected;
  } catch (error) {
    return `${expected}, but it is malformed JSON (${(error as Error).message})`;
  }
}
