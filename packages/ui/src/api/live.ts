/**
 * Live updates: one `EventSource` on `/api/live` for the whole page. Views subscribe and re-query
 * what they show when data was committed; the event itself carries only counts.
 */
import { api } from './client.js';

type Listener = () => void;

const listeners = new Set<Listener>();
let source: EventSource | undefined;
let paused = false;
let pending: ReturnType<typeof setTimeout> | undefined;

function fire(): void {
  if (paused || pending) return;
  // Coalesce bursts: at most one refresh per second per page.
  pending = setTimeout(() => {
    pending = undefined;
    for (const listener of [...listeners]) listener();
  }, 1000);
}

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource(api.liveUrl);
  source.addEventListener('ingest', fire);
  source.addEventListener('eviction', fire);
}

// A hidden tab gives its stream back: browsers allow only six HTTP/1.1 connections per host, and
// each open tab's event stream holds one. Coming back refreshes once and reconnects.
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      source?.close();
      source = undefined;
    } else if (listeners.size > 0) {
      connect();
      fire();
    }
  });
}

/** Calls `listener` after new data was committed (while live updates are on); returns unsubscribe. */
export function onLiveData(listener: Listener): () => void {
  listeners.add(listener);
  connect();
  return () => listeners.delete(listener);
}

/** Turns live refreshing off or on (the stream stays open; events are ignored while paused). */
export function setLivePaused(value: boolean): void {
  paused = value;
  if (!value) fire();
}

export function isLivePaused(): boolean {
  return paused;
}
