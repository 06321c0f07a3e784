/**
 * Keyboard navigation for lists: ArrowUp/ArrowDown (or k/j) move the selection, Home/End jump,
 * Enter opens. Keys typed into form fields are left alone.
 */
import { useEffect, useRef } from 'preact/hooks';

export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/**
 * The next selected index for a key press, or undefined when the key is not a list key.
 *
 * @example
 * nextIndex('ArrowDown', 3, 10); // 4
 */
export function nextIndex(
  key: string,
  index: number,
  count: number,
  page = 10,
): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return Math.min(count - 1, index + 1);
    case 'ArrowUp':
    case 'k':
      return Math.max(0, index - 1);
    case 'PageDown':
      return Math.min(count - 1, index + page);
    case 'PageUp':
      return Math.max(0, index - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/**
 * Document-level list keys while the component is mounted. The listener reads the list as last
 * rendered: one bound to the values of its effect missed an Enter pressed right after an arrow key,
 * between the render that showed the new selection and the effect that re-bound the listener.
 */
export function useListKeys(
  count: number,
  index: number,
  select: (index: number) => void,
  open?: (index: number) => void,
): void {
  const latest = useRef({ count, index, select, open });
  latest.current = { count, index, select, open };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey) return;
      const { count, index, select, open } = latest.current;
      if (event.key === 'Enter' && open && index >= 0 && index < count) {
        event.preventDefault();
        open(index);
        return;
      }
      const next = nextIndex(event.key, index < 0 ? -1 : index, count);
      if (next === undefined) return;
      event.preventDefault();
      select(index < 0 && (event.key === 'ArrowDown' || event.key === 'j') ? 0 : next);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
