/**
 * The app shell: navigation, theme and live toggles, keyboard shortcuts, and the page for the route.
 */
import { useEffect, useState } from 'preact/hooks';
import { isLivePaused, setLivePaused } from './api/live.js';
import { isTyping } from './components/keyboard.js';
import { Link } from './components/link.js';
import { LogsPage } from './pages/logs-page.js';
import { MemoryPage } from './pages/memory-page.js';
import { MetricsPage } from './pages/metrics-page.js';
import { RunsPage } from './pages/runs-page.js';
import { ServiceMapPage } from './pages/service-map-page.js';
import { StatusPage } from './pages/status-page.js';
import { TracePage } from './pages/trace-page.js';
import { TracesPage } from './pages/traces-page.js';
import type { PageName, Route } from './router/url-state.js';
import { navigate, useRoute } from './router/use-route.js';
import { applyTheme, type Theme } from './theme/theme.js';

const NAV: { page: PageName; label: string; key: string }[] = [
  { page: 'traces', label: 'Traces', key: 't' },
  { page: 'services', label: 'Service map', key: 's' },
  { page: 'metrics', label: 'Metrics', key: 'm' },
  { page: 'logs', label: 'Logs', key: 'l' },
  { page: 'memory', label: 'Memory', key: 'y' },
  { page: 'runs', label: 'Runs', key: 'r' },
  { page: 'status', label: 'Store', key: 'i' },
];

function PageFor({ route, theme }: { route: Route; theme: Theme }) {
  switch (route.page) {
    case 'traces':
      return <TracesPage route={route} theme={theme} />;
    case 'trace':
      return <TracePage route={route} />;
    case 'services':
      return <ServiceMapPage route={route} />;
    case 'metrics':
      return <MetricsPage route={route} theme={theme} />;
    case 'logs':
      return <LogsPage route={route} />;
    case 'memory':
      return <MemoryPage route={route} theme={theme} />;
    case 'runs':
      return <RunsPage route={route} />;
    case 'status':
      return <StatusPage />;
    default:
      return (
        <section class="page">
          <h1>Not found</h1>
          <p>
            <Link to={{ page: 'traces', query: {} }}>Go to traces</Link>
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  const [theme, setTheme] = useState<Theme>(
    document.documentElement.dataset.theme === 'light' ? 'light' : 'dark',
  );
  const [live, setLive] = useState(!isLivePaused());
  const [help, setHelp] = useState(false);

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => setLivePaused(!live), [live]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === '/') {
        const input = document.querySelector<HTMLInputElement>(
          'main input[type="search"], main input',
        );
        if (input) {
          event.preventDefault();
          input.focus();
        }
      } else if (event.key === '?') setHelp((h) => !h);
      else if (event.key === 'Escape') setHelp(false);
      else {
        const item = NAV.find((n) => n.key === event.key);
        if (item && event.shiftKey === false) navigate({ page: item.page, query: {} });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const activePage = route.page === 'trace' ? 'traces' : route.page;
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Sightline</span>
        <nav aria-label="pages">
          {NAV.map((item) => (
            <Link
              key={item.page}
              to={{ page: item.page, query: {} }}
              class={item.page === activePage ? 'active' : ''}
              title={`${item.label} (${item.key})`}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <span class="spacer" />
        <button
          type="button"
          class={`toggle ${live ? 'on' : ''}`}
          aria-pressed={live}
          title="Refresh when new data arrives"
          onClick={() => setLive(!live)}
        >
          {live ? '● Live' : '○ Paused'}
        </button>
        <button
          type="button"
          class="toggle"
          title="Switch theme"
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☾ Dark' : '☀ Light'}
        </button>
        <button
          type="button"
          class="toggle"
          title="Keyboard shortcuts (?)"
          onClick={() => setHelp(!help)}
        >
          ?
        </button>
      </header>
      {help ? (
        <div class="help" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard</h2>
          <ul>
            {NAV.map((n) => (
              <li key={n.key}>
                <kbd>{n.key}</kbd> {n.label}
              </li>
            ))}
            <li>
              <kbd>/</kbd> focus the search field
            </li>
            <li>
              <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>k</kbd>/<kbd>j</kbd> move in lists and the
              waterfall; <kbd>Enter</kbd> opens
            </li>
            <li>
              <kbd>←</kbd>/<kbd>→</kbd> collapse and expand spans in the waterfall
            </li>
            <li>
              <kbd>e</kbd> next failed span, <kbd>n</kbd> next find match (waterfall)
            </li>
            <li>
              <kbd>?</kbd> this help, <kbd>Esc</kbd> closes it
            </li>
          </ul>
        </div>
      ) : null}
      <main>
        <PageFor route={route} theme={theme} />
      </main>
    </div>
  );
}
