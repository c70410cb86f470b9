import assert from 'node:assert/strict';
import { BOX, layoutDiagram, type Layout, type LayoutEdge, type LayoutNode } from '../../../server/workflows/marketing/layout.js';

const node = (id: string, ...outputs: string[]): LayoutNode => ({ id, outputs: outputs.length ? outputs : ['next'] });
const edge = (from: string, to: string, output = 'next'): LayoutEdge => ({ from, output, to });

const CASES: Array<{ case: string; nodes: LayoutNode[]; edges: LayoutEdge[]; layers: Record<string, number> }> = [
  { case: 'a single activity', nodes: [node('go')], edges: [], layers: { go: 0 } },
  {
    case: 'a chain',
    nodes: [node('a'), node('b'), node('c')],
    edges: [edge('a', 'b'), edge('b', 'c')],
    layers: { a: 0, b: 1, c: 2 },
  },
  {
    case: 'a split whose branches meet again, one branch longer',
    nodes: [node('go'), node('split', 'x', 'y'), node('x1'), node('x2'), node('y1'), node('end')],
    edges: [edge('go', 'split'), edge('split', 'x1', 'x'), edge('split', 'y1', 'y'), edge('x1', 'x2'), edge('x2', 'end'), edge('y1', 'end')],
    layers: { go: 0, split: 1, x1: 2, y1: 2, x2: 3, end: 4 },
  },
  {
    case: 'the drip series (a reaction with two outputs to the same end and a reminder)',
    nodes: [node('hourly'), node('q'), node('welcome'), node('wait'), node('test', 'opened', 'neither'), node('reminder'), node('done')],
    edges: [
      edge('hourly', 'q'),
      edge('q', 'welcome'),
      edge('welcome', 'wait'),
      edge('wait', 'test'),
      edge('test', 'done', 'opened'),
      edge('test', 'reminder', 'neither'),
      edge('reminder', 'done'),
    ],
    layers: { hourly: 0, q: 1, welcome: 2, wait: 3, test: 4, reminder: 5, done: 6 },
  },
  {
    case: 'an unreachable activity in a draft (a source of its own)',
    nodes: [node('go'), node('a'), node('lost')],
    edges: [edge('go', 'a'), edge('lost', 'a')],
    layers: { go: 0, lost: 0, a: 1 },
  },
  {
    case: 'a draft with a cycle (the closing edge is ignored for layering)',
    nodes: [node('go'), node('a'), node('b')],
    edges: [edge('go', 'a'), edge('a', 'b'), edge('b', 'a')],
    layers: { go: 0, a: 1, b: 2 },
  },
  {
    case: 'a fork to three branches',
    nodes: [node('go'), node('fork', 'b1', 'b2', 'b3'), node('p'), node('q'), node('r'), node('join')],
    edges: [
      edge('go', 'fork'),
      edge('fork', 'p', 'b1'),
      edge('fork', 'q', 'b2'),
      edge('fork', 'r', 'b3'),
      edge('p', 'join'),
      edge('q', 'join'),
      edge('r', 'join'),
    ],
    layers: { go: 0, fork: 1, p: 2, q: 2, r: 2, join: 3 },
  },
];

const overlap = (l: Layout) =>
  l.boxes.flatMap((a, i) =>
    l.boxes
      .slice(i + 1)
      .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
      .map((b) => `${a.id}/${b.id}`),
  );

describe('workflow diagram layout', () => {
  for (const c of CASES) {
    describe(c.case, () => {
      const layout = layoutDiagram(c.nodes, c.edges);
      const box = (id: string) => layout.boxes.find((b) => b.id === id)!;

      it('puts each activity in its layer, left to right', () => {
        assert.deepEqual(Object.fromEntries(layout.boxes.map((b) => [b.id, b.layer])), c.layers);
        for (const b of layout.boxes) assert.equal(b.x, BOX.margin + b.layer * (BOX.w + BOX.gapX));
      });

      it('overlaps no two boxes and keeps every box inside the drawing', () => {
        assert.deepEqual(overlap(layout), []);
        for (const b of layout.boxes) assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= layout.width && b.y + b.h <= layout.height, b.id);
      });

      it('draws each edge from an output port on the right side of its box to the input port on the left side of its target', () => {
        assert.equal(layout.edges.length, c.edges.length);
        for (const e of layout.edges) {
          const from = box(e.from);
          const to = box(e.to);
          assert.equal(e.start.x, from.x + from.w);
          assert.ok(e.start.y > from.y && e.start.y < from.y + from.h);
          assert.deepEqual(e.end, { x: to.x, y: to.y + to.h / 2 });
        }
      });

      it('gives each output of a box its own port', () => {
        for (const n of c.nodes) {
          const ys = layout.edges.filter((e) => e.from === n.id).map((e) => `${e.output}:${e.start.y}`);
          const byOutput = new Map(ys.map((s) => s.split(':') as [string, string]));
          assert.equal(new Set(byOutput.values()).size, byOutput.size);
        }
      });
    });
  }

  it('leaves out an edge to an activity that does not exist (a draft with a missing target)', () => {
    const layout = layoutDiagram([node('go')], [edge('go', 'nowhere')]);
    assert.deepEqual(layout.edges, []);
  });
});
