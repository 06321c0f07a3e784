/**
 * Loads data for a view and reloads it on live updates. On a live reload the previous data stays on
 * screen until the new data arrives, so lists keep their scroll position and selection.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { onLiveData } from './live.js';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * @example
 * const services = useApi((signal) => api.services({}, signal), []);
 */
export function useApi<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  options: { live?: boolean } = {},
): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined }>({
    data: undefined,
    error: undefined,
  });
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const depsKey = JSON.stringify(deps);
  const lastKey = useRef<string | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    const fresh = lastKey.current !== depsKey;
    lastKey.current = depsKey;
    // A new query shows nothing stale; a live reload of the same query keeps what is on screen.
    if (fresh) setState({ data: undefined, error: undefined });
    setLoading(true);
    loadRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState({ data, error: undefined });
        setLoading(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          data: fresh ? undefined : s.data,
          error: error instanceof Error ? error : new Error(String(error)),
        }));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [depsKey, tick]);

  useEffect(() => {
    if (options.live === false) return;
    return onLiveData(() => setTick((t) => t + 1));
  }, [options.live]);

  return { ...state, loading, reload: () => setTick((t) => t + 1) };
}
