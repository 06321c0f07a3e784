const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Shuts the SDK down (flushing all signals) on SIGTERM, SIGINT and `beforeExit`, without changing
 * how the app exits: when the app has no signal handler of its own, the signal is raised again after
 * the flush so Node ends the process as it would have; when the app has one, the app decides.
 * A second signal during the flush ends the process at once, as users expect of a second Ctrl-C.
 * Returns a function that removes the hooks.
 */
export function installProcessHooks(shutdown: () => Promise<void>): () => void {
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('beforeExit', onBeforeExit);
  };
  let flushing = false;
  function onSignal(signal: NodeJS.Signals): void {
    // Counted now, not at install time: the app may have added its handler after init().
    const appHandles = process.listenerCount(signal) > 1;
    if (flushing) {
      if (!appHandles) reraise(signal);
      return;
    }
    flushing = true;
    void shutdown().finally(() => {
      if (!appHandles) reraise(signal);
    });
  }
  function reraise(signal: NodeJS.Signals): void {
    remove();
    process.kill(process.pid, signal);
  }
  function onBeforeExit(): void {
    // Once only: the flush does I/O, after which the loop empties and `beforeExit` fires again.
    remove();
    void shutdown();
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('beforeExit', onBeforeExit);
  return remove;
}
