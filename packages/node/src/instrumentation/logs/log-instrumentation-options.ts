import type { LogInstrumentationOptions } from '../../config/options.js';
import { SETTINGS_BY_PATH } from '../../config/settings.js';
import { invalidOption } from '../../errors.js';

/** What `createPinoInstrumentation()` and `createWinstonInstrumentation()` accept. */
export interface LogInstrumentationFactoryOptions extends LogInstrumentationOptions {
  /** Hook the library as soon as the instrumentation is created, as every OTel instrumentation does. Default true. */
  enabled?: boolean;
}

/** The options with every default applied. */
export type ResolvedLogInstrumentationOptions = Required<LogInstrumentationFactoryOptions>;

const FIELDS = ['correlation', 'sending', 'sendLevel', 'spanEvents'] as const;

/**
 * Validates the options against the same settings table `init()` uses (`logs.instrumentation.*`),
 * so `handle.config.logs.instrumentation` can be passed as is. An invalid or unknown field throws
 * `SIGHTLINE_ERR_INVALID_OPTION` naming it.
 */
export function resolveLogInstrumentationOptions(
  options: LogInstrumentationFactoryOptions = {},
): ResolvedLogInstrumentationOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    invalidOption('logs.instrumentation', options, 'an object');
  for (const key of Object.keys(options)) {
    if (key !== 'enabled' && !(FIELDS as readonly string[]).includes(key))
      invalidOption(
        `logs.instrumentation.${key}`,
        (options as Record<string, unknown>)[key],
        `no such option; known: enabled, ${FIELDS.join(', ')}`,
      );
  }
  const enabled = options.enabled ?? true;
  if (typeof enabled !== 'boolean') invalidOption('enabled', enabled, 'true or false');
  const resolved: Record<string, unknown> = { enabled };
  for (const field of FIELDS) {
    const path = `logs.instrumentation.${field}`;
    const setting = SETTINGS_BY_PATH.get(path);
    if (!setting) throw new Error(`${path} is missing from the settings table`);
    const value = options[field];
    if (value === undefined) resolved[field] = setting.defaultValue;
    else if (setting.kind.check(value)) resolved[field] = value;
    else invalidOption(path, value, setting.kind.expected);
  }
  return resolved as ResolvedLogInstrumentationOptions;
}
