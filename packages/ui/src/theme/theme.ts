/**
 * Dark and light themes: a `data-theme` attribute on <html> selects the CSS variables. The choice is
 * kept in localStorage (a preference, not view state); the default follows the system.
 */

export type Theme = 'dark' | 'light';
const KEY = 'sightline.theme';

export function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // storage disabled
  }
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // storage disabled
  }
}

/** A CSS variable of the current theme, for canvas drawing (uPlot, heatmaps). */
export function cssVar(name: string, fallback = '#888'): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}
