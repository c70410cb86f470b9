/**
 * The layout of a workflow diagram, computed without drawing anything (pure, table-tested): layers
 * from left to right (each activity one layer after the furthest activity leading to it), activities
 * of a layer stacked top to bottom in the order that keeps edges short (mean row of their
 * predecessors), and each edge drawn from an output port on the right side of its box to the input
 * port on the left side of its target. A draft may contain a cycle: edges that close one are
 * ignored for layering (and drawn backwards).
 */

export interface LayoutNode {
  id: string;
  /** Output names, in the order their ports are drawn from top to bottom. */
  outputs: readonly string[];
}
export interface LayoutEdge {
  from: string;
  output: string;
  to: string;
}
export interface Box {
  id: string;
  layer: number;
  row: number;
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface PlacedEdge extends LayoutEdge {
  start: Point;
  end: Point;
}
export interface Layout {
  width: number;
  height: number;
  boxes: Box[];
  edges: PlacedEdge[];
}

export const BOX = { w: 168, h: 60, gapX: 88, gapY: 28, margin: 16 } as const;

/** Layers: the longest path from a source, ignoring the edges that close a cycle (found by a depth-first walk in node order). */
function layersOf(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, number> {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map(nodes.map((n) => [n.id, [] as string[]]));
  for (const e of edges) if (ids.has(e.from) && ids.has(e.to)) out.get(e.from)!.push(e.to);
  const state = new Map<string, 'open' | 'done'>();
  const forward: Array<[string, string]> = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const to of out.get(id)!) {
      if (state.get(to) === 'open') continue; // closes a cycle
      forward.push([id, to]);
      if (!state.has(to)) visit(to);
    }
    state.set(id, 'done');
  };
  const incoming = new Set(edges.map((e) => e.to));
  for (const n of nodes) if (!incoming.has(n.id) && !state.has(n.id)) visit(n.id);
  for (const n of nodes) if (!state.has(n.id)) visit(n.id);
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  // forward edges form a DAG: relax them until nothing moves (at most |nodes| rounds)
  for (let round = 0, moved = true; moved && round <= nodes.length; round++) {
    moved = false;
    for (const [from, to] of forward) {
      if (layer.get(to)! < layer.get(from)! + 1) {
        layer.set(to, layer.get(from)! + 1);
        moved = true;
      }
    }
  }
  return layer;
}

/** Places every node and edge. Node order is the definition's order; edges to unknown nodes are left out. */
export function layoutDiagram(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Layout {
  const layer = layersOf(nodes, edges);
  const columns: string[][] = [];
  for (const n of nodes) (columns[layer.get(n.id)!] ??= []).push(n.id);
  const row = new Map<string, number>();
  const preds = new Map(nodes.map((n) => [n.id, [] as string[]]));
  for (const e of edges) if (preds.has(e.to) && preds.has(e.from)) preds.get(e.to)!.push(e.from);
  columns.forEach((column, c) => {
    const weight = (id: string) => {
      const placed = preds.get(id)!.filter((p) => row.has(p) && layer.get(p)! < c);
      return placed.length ? placed.reduce((s, p) => s + row.get(p)!, 0) / placed.length : Number.POSITIVE_INFINITY;
    };
    const order = column.map((id, i) => ({ id, i, w: weight(id) })).sort((a, b) => a.w - b.w || a.i - b.i);
    order.forEach(({ id }, r) => row.set(id, r));
  });
  const tallest = Math.max(0, ...columns.map((c) => c?.length ?? 0));
  const boxes: Box[] = nodes.map((n) => {
    const l = layer.get(n.id)!;
    const r = row.get(n.id)!;
    // centre short columns vertically against the tallest one
    const offset = ((tallest - columns[l]!.length) * (BOX.h + BOX.gapY)) / 2;
    return { id: n.id, layer: l, row: r, x: BOX.margin + l * (BOX.w + BOX.gapX), y: BOX.margin + offset + r * (BOX.h + BOX.gapY), w: BOX.w, h: BOX.h };
  });
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const outputs = new Map(nodes.map((n) => [n.id, n.outputs]));
  const placed: PlacedEdge[] = edges.flatMap((e) => {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) return [];
    return [{ ...e, start: outputPort(from, outputs.get(e.from)!, e.output), end: inputPort(to) }];
  });
  const layers = columns.length;
  return {
    width: BOX.margin * 2 + Math.max(1, layers) * BOX.w + Math.max(0, layers - 1) * BOX.gapX,
    height: BOX.margin * 2 + Math.max(1, tallest) * BOX.h + Math.max(0, tallest - 1) * BOX.gapY,
    boxes,
    edges: placed,
  };
}

/** Output ports share the right side evenly, in the node's output order. */
export function outputPort(box: Box, outputs: readonly string[], output: string): Point {
  const i = Math.max(0, outputs.indexOf(output));
  const n = Math.max(1, outputs.length);
  return { x: box.x + box.w, y: box.y + (box.h * (i + 1)) / (n + 1) };
}

export function inputPort(box: Box): Point {
  return { x: box.x, y: box.y + box.h / 2 };
}
