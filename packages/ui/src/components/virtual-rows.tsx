/**
 * A virtualised list of fixed-height rows: only the rows in view (plus a margin) are in the DOM, so
 * a 5,000-span waterfall renders as fast as a 50-span one. Keeps its scroll position across data
 * updates and scrolls the selected row into view only when the selection changes.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualRowsProps {
  count: number;
  rowHeight: number;
  /** Index kept in view when it changes. */
  selected?: number;
  renderRow: (index: number) => ComponentChildren;
  class?: string;
  overscan?: number;
  label?: string;
}

export function VirtualRows({
  count,
  rowHeight,
  selected,
  renderRow,
  class: className,
  overscan = 12,
  label,
}: VirtualRowsProps) {
  const box = useRef<HTMLElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // Never more than the window's height, even if the layout lets the box grow with its content.
    const measure = () => setHeight(Math.min(el.clientHeight || 600, window.innerHeight || 1000));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || selected === undefined || selected < 0) return;
    const top = selected * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + rowHeight - el.clientHeight;
  }, [selected, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} class="vrow" style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}>
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <section
      ref={box}
      class={`vlist ${className ?? ''}`}
      aria-label={label}
      onScroll={(event) => setScrollTop((event.currentTarget as HTMLElement).scrollTop)}
    >
      <div class="vlist-inner" style={{ height: `${count * rowHeight}px` }}>
        {rows}
      </div>
    </section>
  );
}
