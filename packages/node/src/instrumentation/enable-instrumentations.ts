import { diag } from '@opentelemetry/api';
import type { EnabledInstrumentation, InstrumentationContext } from './instrumentation-context.js';
import type { InstrumentationName } from './names.js';
import { INSTRUMENTATIONS } from './registry.js';
import { selectInstrumentations } from './select-instrumentations.js';

/** What `init()` keeps to undo the instrumentations at shutdown. */
export interface EnabledInstrumentations {
  /** The names that were selected and had an entry in the registry, in order. */
  readonly names: readonly InstrumentationName[];
  /** Disables them in reverse order. Idempotent; never throws. */
  disable(): void;
}

/**
 * Enables every selected instrumentation of the registry. A factory that fails is reported through
 * `diag` and skipped: instrumentation never stops the app from starting.
 */
export function enableInstrumentations(
  context: Omit<InstrumentationContext, 'isSelected'>,
): EnabledInstrumentations {
  const selected = selectInstrumentations(context.config.instrumentations, (message) =>
    diag.warn(`sightline: ${message}`),
  );
  const full: InstrumentationContext = {
    ...context,
    isSelected: (name) => selected.includes(name),
  };
  const names: InstrumentationName[] = [];
  const enabled: EnabledInstrumentation[] = [];
  for (const name of selected) {
    const factory = INSTRUMENTATIONS[name];
    if (factory === undefined) continue;
    try {
      const instrumentation = factory(full);
      names.push(name);
      if (instrumentation) enabled.push(instrumentation);
    } catch (error) {
      diag.warn(`sightline: the ${name} instrumentation could not be enabled: ${String(error)}`);
    }
  }
  let active = true;
  return {
    names,
    disable() {
      if (!active) return;
      active = false;
      for (const instrumentation of enabled.reverse()) {
        try {
          instrumentation.disable();
        } catch (error) {
          diag.warn(`sightline: disabling an instrumentation failed: ${String(error)}`);
        }
      }
    },
  };
}
