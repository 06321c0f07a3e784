/**
 * The span tree of one trace and its visible rows. Pure and iterative (no recursion), so a trace with
 * very deep or very wide trees, duplicate ids or parent cycles cannot overflow the stack.
 */

export interface SpanLike {
  spanId: string;
  parentSpanId: string;
  startMs: number;
  durationMs: number;
}

export interface SpanNode<S extends SpanLike> {
  span: S;
  children: SpanNode<S>[];
  /** Depth in the tree, 0 for roots. */
  depth: number;
  /** True when the span names a parent that is not in the trace (not arrived, or evicted). */
  orphan: boolean;
  /** Number of spans below this one. */
  descendants: number;
}

export interface SpanTree<S extends SpanLike> {
  roots: SpanNode<S>[];
  byId: Map<string, SpanNode<S>>;
  startMs: number;
  endMs: number;
}

const byStart = <S extends SpanLike>(a: SpanNode<S>, b: SpanNode<S>) =>
  a.span.startMs - b.span.startMs || a.span.spanId.localeCompare(b.span.spanId);

/**
 * Builds the tree: children sorted by start time; a span whose parent is missing (or whose parent
 * chain loops back on itself) becomes a root.
 *
 * @example
 * const tree = buildSpanTree(trace.spans);
 * tree.roots[0]?.children.length;
 */
export function buildSpanTree<S extends SpanLike>(spans: readonly S[]): SpanTree<S> {
  const byId = new Map<string, SpanNode<S>>();
  const nodes: SpanNode<S>[] = [];
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    if (byId.has(span.spanId)) continue; // duplicate id: keep the first
    const node: SpanNode<S> = { span, children: [], depth: 0, orphan: false, descendants: 0 };
    byId.set(span.spanId, node);
    nodes.push(node);
    startMs = Math.min(startMs, span.startMs);
    endMs = Math.max(endMs, span.startMs + Math.max(0, span.durationMs));
  }
  const roots: SpanNode<S>[] = [];
  for (const node of nodes) {
    const parentId = node.span.parentSpanId;
    const parent = parentId && parentId !== node.span.spanId ? byId.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else {
      node.orphan = parentId !== '' && parentId !== undefined;
      roots.push(node);
    }
  }
  // Depths and descendant counts by an explicit walk; nodes inside a parent cycle are never reached
  // from a root, so they are detached and become roots themselves.
  const reached = new Set<SpanNode<S>>();
  const walk = (root: SpanNode<S>) => {
    const order: SpanNode<S>[] = [];
    const stack: SpanNode<S>[] = [root];
    root.depth = 0;
    while (stack.length > 0) {
      const node = stack.pop() as SpanNode<S>;
      reached.add(node);
      order.push(node);
      node.children.sort(byStart);
      for (const child of node.children) {
        child.depth = node.depth + 1;
        stack.push(child);
      }
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i] as SpanNode<S>;
      node.descendants = 0;
      for (const child of node.children) node.descendants += 1 + child.descendants;
    }
  };
  roots.sort(byStart);
  for (const root of roots) walk(root);
  if (reached.size < nodes.length) {
    for (const node of nodes) {
      if (reached.has(node)) continue;
      const parent = byId.get(node.span.parentSpanId);
      if (parent) parent.children = parent.children.filter((c) => c !== node);
      node.orphan = true;
      roots.push(node);
      walk(node);
    }
    roots.sort(byStart);
  }
  if (nodes.length === 0) {
    startMs = 0;
    endMs = 0;
  }
  return { roots, byId, startMs, endMs };
}

export interface WaterfallRow<S extends SpanLike> {
  node: SpanNode<S>;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
}

/**
 * The rows shown, in tree order, skipping the subtrees of collapsed spans.
 *
 * @example
 * visibleRows(tree, new Set(['eee19b7ec3c1b174'])).length;
 */
export function visibleRows<S extends SpanLike>(
  tree: SpanTree<S>,
  collapsed: ReadonlySet<string>,
): WaterfallRow<S>[] {
  const rows: WaterfallRow<S>[] = [];
  const stack: SpanNode<S>[] = [];
  for (let i = tree.roots.length - 1; i >= 0; i--) stack.push(tree.roots[i] as SpanNode<S>);
  while (stack.length > 0) {
    const node = stack.pop() as SpanNode<S>;
    const isCollapsed = collapsed.has(node.span.spanId);
    rows.push({
      node,
      depth: node.depth,
      hasChildren: node.children.length > 0,
      collapsed: isCollapsed && node.children.length > 0,
    });
    if (isCollapsed) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as SpanNode<S>);
  }
  return rows;
}

/** Span ids from a root down to `spanId` (inclusive): what to expand to reveal a span. */
export function ancestorIds<S extends SpanLike>(tree: SpanTree<S>, spanId: string): string[] {
  const out: string[] = [];
  let node = tree.byId.get(spanId);
  const seen = new Set<string>();
  while (node && !seen.has(node.span.spanId)) {
    seen.add(node.span.spanId);
    out.unshift(node.span.spanId);
    node = node.orphan ? undefined : tree.byId.get(node.span.parentSpanId);
  }
  return out;
}
