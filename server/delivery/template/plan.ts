import { keyedIssue } from '../issue-texts/index.js';
import type { IssueKey } from '../issue-texts/en.js';
import type { TrackingUrlType } from '../../shared/glossary.js';
import { isLinkTag, scanHtml, type UrlAttr } from './html-scan.js';
import { SENTINEL_RE, splitSkeleton, type ParsedTemplate, type Tag } from './parse.js';
import { analyseUrl, decodeEntities, findTextUrls, untrackable, type Piece, type SystemLink, type UrlShape } from './urls.js';

/**
 * Turns a parsed template part into a render plan: static text, code, outputs with the escaper of
 * their context, and tracked links (replaced as a whole by a signed tracking URL at send time).
 * Problems found on the way are reported as control-rule issues; the plan is only used when there
 * are none.
 */

/** html: HTML text and quoted attributes; raw: explicit `<%~ %>` in HTML; uq/ut: a query value of an untracked URL in HTML/text. */
export type Escaper = 'html' | 'raw' | 'uq' | 'ut' | 'text' | 'header';

export type PlanNode =
  | string
  | { code: string }
  | { out: string; escaper: Escaper }
  | { link: string; params: Array<Array<string | { code: string }>>; marker: 'html' | 'text' }
  | { pixel: true };

export interface Issue {
  rule: string;
  level: 'error' | 'warning' | 'info';
  /** The sentence in English (the API, the CLI, logs; analyses stored before issues had keys have only this). */
  message: string;
  /** The catalogue key of the sentence (server/delivery/issue-texts), so a reader sees it in their language. */
  key?: string;
  /** The values of the sentence's placeholders: figures, names, addresses. */
  params?: Record<string, string | number>;
  /** Where in the content (`html`, `line 3`…), shown before the sentence; not translated. */
  where?: string;
}

export interface DetectedLink {
  key: string;
  type: Extract<TrackingUrlType, 'click' | 'opt_out'>;
  url: string;
  label: string;
}

export interface PartPlan {
  nodes: PlanNode[];
  issues: Issue[];
  links: DetectedLink[];
  systemLinks: Set<SystemLink>;
}

export interface PlanOptions {
  /** Track http(s) links (click / opt-out rows). */
  track: boolean;
  /** Add the open pixel (HTML only). */
  pixel: boolean;
}

export const linkKey = (type: string, url: string): string => `${type}\u0000${url}`;

interface Replacement {
  start: number;
  end: number;
  node: PlanNode;
}

class Planner {
  readonly plan: PartPlan = { nodes: [], issues: [], links: [], systemLinks: new Set() };
  readonly escapers = new Map<number, Escaper>();
  readonly replacements: Replacement[] = [];
  constructor(
    readonly part: string,
    readonly parsed: ParsedTemplate,
  ) {}

  issue(rule: string, message: string, level: Issue['level'] = 'error'): void {
    this.plan.issues.push({ rule, level, message: `${this.part}: ${message}` });
  }

  /** An issue worded by its catalogue key, located in this part. */
  keyed(rule: string, key: IssueKey, params?: Record<string, string | number>): void {
    this.plan.issues.push(keyedIssue(rule, 'error', key, params, this.part));
  }

  /** Applies a URL's shape: a tracked link node, escapers for untracked query values, or an issue. */
  url(shape: UrlShape, span: { start: number; end: number }, tracked: { type: DetectedLink['type']; label: string } | undefined, html: boolean): void {
    const tags = this.parsed.tags;
    if (shape.kind === 'refused') return this.keyed(shape.rule, shape.key);
    if (shape.kind === 'system') {
      this.plan.systemLinks.add(shape.link);
      for (const t of tagsOf(this.parsed.skeleton.slice(span.start, span.end))) this.escapers.set(t, html ? 'html' : 'text');
      return;
    }
    if (!tracked || !/^https?:\/\//i.test(shape.url)) {
      if (shape.kind === 'personalized') for (const t of shape.tags) this.escapers.set(t, html ? 'uq' : 'ut');
      return;
    }
    const problem = untrackable(shape.url);
    if (problem) return this.keyed('links.invalid', problem.key, { ...problem.params, url: shape.url.slice(0, 100) });
    const key = linkKey(tracked.type, shape.url);
    if (!this.plan.links.some((l) => l.key === key)) this.plan.links.push({ key, type: tracked.type, url: shape.url, label: tracked.label.slice(0, 255) });
    const params = shape.kind === 'personalized' ? shape.params.map((pieces) => pieces.map((p) => piece(p, tags))) : [];
    this.replacements.push({ ...span, node: { link: key, params, marker: html ? 'html' : 'text' } });
  }

  /** Builds the node list from the skeleton, the replacements and the escapers. */
  finish(defaultEscaper: (tag: Tag) => Escaper | undefined, extra: Replacement[] = []): PartPlan {
    const { skeleton, tags } = this.parsed;
    const all = [...this.replacements, ...extra].sort((a, b) => a.start - b.start);
    let pos = 0;
    const emit = (text: string) => {
      for (const p of splitSkeleton(text)) {
        if (typeof p === 'string') this.plan.nodes.push(p);
        else if (tags[p]!.kind === 'e') this.plan.nodes.push({ code: tags[p]!.code });
        else {
          const escaper = this.escapers.get(p) ?? defaultEscaper(tags[p]!);
          if (escaper) this.plan.nodes.push({ out: tags[p]!.code, escaper });
        }
      }
    };
    for (const r of all) {
      emit(skeleton.slice(pos, r.start));
      this.plan.nodes.push(r.node);
      pos = r.end;
    }
    emit(skeleton.slice(pos));
    return this.plan;
  }
}

const tagsOf = (text: string): number[] => [...text.matchAll(SENTINEL_RE)].map((m) => Number(m[1]));
const piece = (p: Piece, tags: readonly Tag[]): string | { code: string } => (typeof p === 'number' ? { code: tags[p]!.code } : p);

function htmlLinkTracking(u: UrlAttr, options: PlanOptions): { type: DetectedLink['type']; label: string } | undefined {
  const mode = (u.attrs['data-herald'] ?? '').trim().toLowerCase();
  if (!options.track || !isLinkTag(u.tag) || u.name !== 'href' || mode === 'no-track') return undefined;
  const raw = u.attrs['data-herald-label'] || u.text || u.attrs['title'] || '';
  const label = decodeEntities(raw.replace(SENTINEL_RE, '…')).replace(/\s+/g, ' ').trim();
  return { type: mode === 'opt-out' ? 'opt_out' : 'click', label };
}

export function planHtml(part: string, parsed: ParsedTemplate, options: PlanOptions): PartPlan {
  const p = new Planner(part, parsed);
  const scan = scanHtml(parsed.skeleton);
  for (const u of scan.urls) {
    const shape = analyseUrl(parsed.skeleton.slice(u.start, u.end), parsed.tags, true);
    const tracking = htmlLinkTracking(u, options);
    p.url(shape, u, tracking && { ...tracking, label: tracking.label || (shape.kind === 'static' || shape.kind === 'personalized' ? shape.url : '') }, true);
    if (tracking?.type === 'opt_out') p.plan.systemLinks.add('unsubscribe');
  }
  for (const ctx of scan.contexts.values()) if (ctx.kind === 'forbidden') p.keyed('content.context', ctx.key, ctx.params);
  const at = scan.bodyClose === -1 ? parsed.skeleton.length : scan.bodyClose;
  const pixel = options.pixel ? [{ start: at, end: at, node: { pixel: true } as const }] : [];
  return p.finish((tag) => (tag.kind === 'r' ? 'raw' : 'html'), pixel);
}

export function planText(part: string, parsed: ParsedTemplate, options: PlanOptions): PartPlan {
  const p = new Planner(part, parsed);
  for (const span of findTextUrls(parsed.skeleton)) {
    const shape = analyseUrl(parsed.skeleton.slice(span.start, span.end), parsed.tags, false);
    const url = shape.kind === 'static' || shape.kind === 'personalized' ? shape.url : '';
    p.url(shape, span, options.track ? { type: 'click', label: url } : undefined, false);
  }
  for (const t of parsed.tags) if (t.kind !== 'e' && /^\s*links\.unsubscribe\s*$/.test(t.code)) p.plan.systemLinks.add('unsubscribe');
  for (const t of parsed.tags) if (t.kind !== 'e' && /^\s*links\.mirror\s*$/.test(t.code)) p.plan.systemLinks.add('mirror');
  return p.finish(() => 'text');
}

/** Subject and headers: every output is a header value (CR/LF and controls removed). */
export function planHeader(part: string, parsed: ParsedTemplate): PartPlan {
  return new Planner(part, parsed).finish(() => 'header');
}
