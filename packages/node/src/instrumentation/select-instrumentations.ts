import type { ResolvedInstrumentations } from '../config/resolve.js';
import { INSTRUMENTATION_NAMES, type InstrumentationName, isInstrumentationName } from './names.js';

/**
 * Which instrumentations run, with the semantics of `@opentelemetry/auto-instrumentations-node`:
 * all by default; `OTEL_NODE_ENABLED_INSTRUMENTATIONS` (`instrumentations.enabled`) keeps only the
 * names it lists; `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (`instrumentations.disabled`) then removes
 * its names. Unknown names (possible from the environment only: code options are checked) are
 * reported through `warn`, naming the variable, and skipped.
 */
export function selectInstrumentations(
  settings: Pick<ResolvedInstrumentations, 'enabled' | 'disabled'>,
  warn: (message: string) => void,
): InstrumentationName[] {
  const known = (names: readonly string[], variable: string): InstrumentationName[] =>
    names.filter((name): name is InstrumentationName => {
      if (isInstrumentationName(name)) return true;
      warn(
        `${variable} names unknown instrumentation ${JSON.stringify(name)} (known: ${INSTRUMENTATION_NAMES.join(', ')}); ignoring it`,
      );
      return false;
    });
  const enabled =
    settings.enabled === undefined
      ? [...INSTRUMENTATION_NAMES]
      : known(settings.enabled, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = new Set(known(settings.disabled, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS'));
  return INSTRUMENTATION_NAMES.filter((name) => enabled.includes(name) && !disabled.has(name));
}
