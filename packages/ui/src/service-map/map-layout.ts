/**
 * Positions for the service map: services in columns by call depth (callers left of callees),
 * ordered within a column by name. Cycles are broken by visiting order. Pure, for tests.
 */

export interface MapEdgeLike {
  source: string;
  target: string;
}

export interface PlacedNode {
  service: string;
  column: number;
  row: number;
  x: number;
  y: number;
}

export interface MapLayout {
  nodes: PlacedNode[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 64;
const COLUMN_GAP = 130;
const ROW_GAP = 28;

/**
 * @example
 * layoutServiceMap(['a', 'b'], [{ source: 'a', target: 'b' }]).nodes.map((n) => n.column); // [0, 1]
 */
export function layoutServiceMap(
  services: readonly string[],
  edges: readonly MapEdgeLike[],
): MapLayout {
  const names = [...new Set([...services, ...edges.flatMap((e) => [e.source, e.target])])].sort();
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const name of names) {
    outgoing.set(name, []);
    incoming.set(name, 0);
  }
  for (const edge of edges) {
    if (edge.source === edge.target) continue;
    outgoing.get(edge.source)?.push(edge.target);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  // Longest-path layering over a DFS order that ignores back edges (cycles).
  const column = new Map<string, number>();
  const starts = names.filter((n) => (incoming.get(n) ?? 0) === 0);
  const order = [...starts, ...names.filter((n) => !starts.includes(n))];
  for (const start of order) {
    if (column.has(start)) continue;
    column.set(start, 0);
    const stack: [string, Set<string>][] = [[start, new Set([start])]];
    while (stack.length > 0) {
      const [node, path] = stack.pop() as [string, Set<string>];
      const depth = column.get(node) ?? 0;
      for (const next of outgoing.get(node) ?? []) {
        if (path.has(next)) continue; // back edge
        if ((column.get(next) ?? -1) < depth + 1 && depth + 1 < names.length) {
          column.set(next, depth + 1);
          stack.push([next, new Set([...path, next])]);
        }
      }
    }
  }
  const rowsPerColumn = new Map<number, number>();
  const nodes: PlacedNode[] = names.map((service) => {
    const c = column.get(service) ?? 0;
    const row = rowsPerColumn.get(c) ?? 0;
    rowsPerColumn.set(c, row + 1);
    return {
      service,
      column: c,
      row,
      x: 20 + c * (NODE_WIDTH + COLUMN_GAP),
      y: 20 + row * (NODE_HEIGHT + ROW_GAP),
    };
  });
  const columns = Math.max(1, ...[...rowsPerColumn.keys()].map((c) => c + 1));
  const rows = Math.max(1, ...rowsPerColumn.values());
  return {
    nodes,
    width: 40 + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP,
    height: 40 + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP,
  };
}
