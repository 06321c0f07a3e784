import { AsyncLocalStorage } from 'node:async_hooks';

/** Frames of component trampolines start with this in a sampled stack. */
export const COMPONENT_FRAME_PREFIX = 'sightline_component$';
/** Distinct component labels tracked; later ones share `(other)` so the profile stays bounded. */
export const MAX_COMPONENTS = 100;

const storage = new AsyncLocalStorage<string>();
const trampolines = new Map<string, (fn: () => unknown) => unknown>();
const labels = new Map<string, string>();

/**
 * Runs `fn` with a component label. The label is in AsyncLocalStorage (so `currentComponent()` sees
 * it in every continuation), and the call goes through a function named after the component, so the
 * sampling heap profiler attributes the allocations of `fn`'s synchronous execution (and of every
 * nested `withComponent`) to it. Allocations in async continuations are attributed when the
 * continuation itself runs inside `withComponent`; see docs/memory.md.
 *
 * @example
 * ```ts
 * import { withComponent } from '@sightline/node/memory';
 * const page = withComponent('renderer', () => render(template, data));
 * ```
 */
export function withComponent<T>(name: string, fn: () => T): T {
  return storage.run(name, () => trampolineFor(name)(fn) as T);
}

/**
 * The component label of the current execution, if any (set by `withComponent`, kept across awaits).
 *
 * @example
 * ```ts
 * logger.info({ component: currentComponent() ?? 'none' }, 'rendered');
 * ```
 */
export function currentComponent(): string | undefined {
  return storage.getStore();
}

/** The component label for a profiler frame name, or undefined when it is not a trampoline. */
export function componentOfFrame(functionName: string): string | undefined {
  if (!functionName.startsWith(COMPONENT_FRAME_PREFIX)) return undefined;
  return labels.get(functionName) ?? '(other)';
}

function trampolineFor(name: string): (fn: () => unknown) => unknown {
  const existing = trampolines.get(name);
  if (existing) return existing;
  if (trampolines.size >= MAX_COMPONENTS) return trampolineFor('(other)');
  const frame = `${COMPONENT_FRAME_PREFIX}${trampolines.size}`;
  let trampoline: (fn: () => unknown) => unknown;
  try {
    // A real, named function, so that V8's profiler shows the name in the stack.
    trampoline = new Function(
      `return function ${frame}(fn) { return fn(); }`,
    )() as typeof trampoline;
  } catch {
    // Code generation from strings disallowed: labels still work, attribution does not.
    trampoline = (fn) => fn();
  }
  trampolines.set(name, trampoline);
  labels.set(frame, name);
  return trampoline;
}
