/**
 * The critical path of a trace: the chain of work that determined its end-to-end duration. Walking
 * back from a span's end, the child that finished last (before the cursor) is on the path; the parent
 * owns the time between children. This is the approach Jaeger's UI takes, done with an explicit
 * stack so deep traces cannot overflow.
 */
import type { SpanLike, SpanNode, SpanTree } from './span-tree.js';

export interface CriticalSegment {
  spanId: string;
  startMs: number;
  endMs: number;
}

export interface CriticalPath {
  segments: CriticalSegment[];
  /** Spans on the path (a span whose children cover all its time has no segment of its own). */
  spanIds: Set<string>;
}

interface Frame<S extends SpanLike> {
  node: SpanNode<S>;
  cursor: number;
  kids: SpanNode<S>[];
  next: number;
}

const endOf = (s: SpanLike) => s.startMs + Math.max(0, s.durationMs);

/**
 * The critical path below each root (for several roots, each gets its own path).
 *
 * @example
 * const path = criticalPath(buildSpanTree(spans));
 * path.spanIds.has(rootSpanId); // true
 */
export function criticalPath<S extends SpanLike>(tree: SpanTree<S>): CriticalPath {
  const segments: CriticalSegment[] = [];
  const add = (spanId: string, startMs: number, endMs: number) => {
    if (endMs > startMs) segments.push({ spanId, startMs, endMs });
  };
  // Every span a frame is made for is on the path, even one whose children cover all its time.
  const spanIds = new Set<string>();
  const frameFor = (node: SpanNode<S>, cursor: number): Frame<S> => {
    spanIds.add(node.span.spanId);
    return {
      node,
      cursor,
      kids: [...node.children].sort((a, b) => endOf(b.span) - endOf(a.span)),
      next: 0,
    };
  };
  for (const root of tree.roots) {
    const stack: Frame<S>[] = [frameFor(root, endOf(root.span))];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame<S>;
      const { node } = frame;
      let pushed = false;
      while (frame.next < frame.kids.length) {
        const kid = frame.kids[frame.next++] as SpanNode<S>;
        if (kid.span.startMs >= frame.cursor) continue;
        const kidEnd = Math.min(endOf(kid.span), frame.cursor);
        add(node.span.spanId, kidEnd, frame.cursor);
        frame.cursor = Math.max(kid.span.startMs, node.span.startMs);
        stack.push(frameFor(kid, kidEnd));
        pushed = true;
        break;
      }
      if (pushed) continue;
      add(node.span.spanId, node.span.startMs, frame.cursor);
      stack.pop();
    }
  }
  return { segments, spanIds };
}
