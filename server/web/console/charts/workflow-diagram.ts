import type { Activity } from '../../../workflows/marketing/definition.js';
import { outputsOf } from '../../../workflows/marketing/graph.js';
import { layoutDiagram } from '../../../workflows/marketing/layout.js';
import { esc, n } from './svg.js';

/**
 * A marketing workflow's diagram as inline SVG, drawn on the server (no script needed): one box per
 * activity, a link to its form (keyboard-reachable, with a title), and one arrow per transition from
 * the output port to the target's input port, labelled with its output and, when known, how many
 * recipients went through it in the last runs. Pure: activities and counts in, SVG text out.
 */

export interface DiagramInput {
  title: string;
  activities: readonly Activity[];
  /** Recipients per transition, keyed "from->to" like the run journal's counts. */
  counts?: Readonly<Record<string, number>>;
  /** The form of an activity (a link per box), or none for a read-only diagram. */
  href?: (activityId: string) => string;
  /** Activities to mark as having a problem (unreachable, missing target…). */
  flagged?: ReadonlySet<string>;
}

export function workflowDiagram(input: DiagramInput): string {
  const nodes = input.activities.map((a) => ({ id: a.id, outputs: outputsOf(a).map((o) => o.output) }));
  const known = new Set(nodes.map((x) => x.id));
  const edges = input.activities.flatMap((a) => outputsOf(a).map(({ output, to }) => ({ from: a.id, output, to })));
  const layout = layoutDiagram(
    nodes,
    edges.filter((e) => known.has(e.to)),
  );
  const type = new Map(input.activities.map((a) => [a.id, a]));
  const parts = [
    `<svg class="chart wf-diagram" viewBox="0 0 ${n(layout.width)} ${n(layout.height)}" width="${n(layout.width)}" role="group" aria-label="${esc(input.title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(input.title)}</title>`,
    '<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="wf-arrowhead"/></marker></defs>',
  ];
  for (const e of layout.edges) {
    const count = input.counts?.[`${e.from}->${e.to}`];
    const dx = Math.max(30, (e.end.x - e.start.x) / 2);
    const d = `M${n(e.start.x)},${n(e.start.y)} C${n(e.start.x + dx)},${n(e.start.y)} ${n(e.end.x - dx)},${n(e.end.y)} ${n(e.end.x)},${n(e.end.y)}`;
    const label = `${e.output === 'next' ? '' : `${e.output} `}${count === undefined ? '' : count}`.trim();
    const title = `${e.from} → ${e.to}${e.output === 'next' ? '' : ` (${e.output})`}${count === undefined ? '' : `: ${count} recipient(s) in the last runs`}`;
    parts.push(
      `<g class="wf-edge" data-edge="${esc(`${e.from}->${e.to}`)}"><title>${esc(title)}</title><path d="${d}" class="wf-line" fill="none" marker-end="url(#wf-arrow)"/>`,
      label ? `<text x="${n(e.start.x + 6)}" y="${n(e.start.y - 4)}" class="wf-count">${esc(label)}</text>` : '',
      '</g>',
    );
  }
  for (const b of layout.boxes) {
    const a = type.get(b.id)!;
    const cls = `wf-box wf-${a.type}${input.flagged?.has(b.id) ? ' wf-flagged' : ''}`;
    const inner = [
      `<title>${esc(`${a.id}: ${a.type}${a.label ? ` (${a.label})` : ''}`)}</title>`,
      `<rect x="${n(b.x)}" y="${n(b.y)}" width="${b.w}" height="${b.h}" rx="6" class="${cls}"/>`,
      `<text x="${n(b.x + 10)}" y="${n(b.y + 24)}" class="label">${esc(clip(a.label ?? a.id))}</text>`,
      `<text x="${n(b.x + 10)}" y="${n(b.y + 44)}" class="tick">${esc(a.type)}</text>`,
    ].join('');
    parts.push(
      input.href
        ? `<a href="${esc(input.href(a.id))}" class="wf-node" data-activity="${esc(a.id)}">${inner}</a>`
        : `<g class="wf-node" data-activity="${esc(a.id)}">${inner}</g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

const clip = (text: string) => (text.length > 22 ? `${text.slice(0, 21)}…` : text);
