/**
 * The current route as Preact state, and navigation through the History API. Every view reads its
 * state from the route, so back/forward and shared links reproduce it.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatRoute, parseRoute, type Route } from './url-state.js';

const NAVIGATE_EVENT = 'sightline:navigate';

function current(): Route {
  return parseRoute(window.location.pathname, window.location.search);
}

/**
 * Goes to a route (a new history entry, or `replace` for refinements such as selecting a span).
 *
 * @example
 * navigate({ page: 'logs', query: { text: ['timeout'] } });
 */
export function navigate(target: Route | string, options: { replace?: boolean } = {}): void {
  const url = typeof target === 'string' ? target : formatRoute(target);
  if (url === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The current route; re-renders on navigation and back/forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return route;
}
