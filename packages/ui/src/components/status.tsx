/** Small shared pieces: service chips, error boxes, loading and empty states. */
import type { ComponentChildren } from 'preact';
import { serviceColor } from '../theme/service-colors.js';

export function ServiceChip({ name }: { name: string }) {
  return (
    <span class="chip" title={name}>
      <span class="swatch" style={{ background: serviceColor(name) }} />
      {name}
    </span>
  );
}

export function ErrorBox({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <div class="error-box" role="alert">
      {error.message}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <span class="loading" aria-live="polite">
      loading…
    </span>
  ) : null;
}

export function ErrorMark({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span class="error-mark" title={`${count} error span${count === 1 ? '' : 's'}`}>
      ! {count}
    </span>
  );
}
