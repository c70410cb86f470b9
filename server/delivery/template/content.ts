import { keyedIssue } from '../issue-texts/index.js';
import { parseTemplate, TemplateSyntaxError, type ParsedTemplate } from './parse.js';
import { planHeader, planHtml, planText, type DetectedLink, type Issue, type PartPlan, type PlanNode } from './plan.js';

/**
 * Plans the whole content of a delivery (subject, HTML, text, extra headers): parses every part,
 * decides each tag's output context, detects links and checks the personalization fields used.
 * Pure: the same content always gives the same plan, so analysis and sending agree on the links.
 */

export interface ContentSource {
  subject: string;
  html: string;
  text: string;
  /** Extra header name → template. */
  headers: Readonly<Record<string, string>>;
  /** Track http(s) links. */
  track: boolean;
  /** Add the open pixel to the HTML part. */
  openPixel: boolean;
}

export type PartKind = 'subject' | 'html' | 'text' | 'header';

export interface RenderPart {
  kind: PartKind;
  /** Header name for kind 'header'. */
  header?: string;
  nodes: PlanNode[];
}

export interface ContentPlan {
  parts: RenderPart[];
  issues: Issue[];
  /** Distinct tracked links, in order of appearance. */
  links: DetectedLink[];
  /** The parts the content holds (not blank), whether or not they parsed: a broken part is reported as a syntax error, not as missing. */
  written: { html: boolean; text: boolean };
  unsubscribe: { html: boolean; text: boolean };
  usesMirror: boolean;
  /** The HTML part carries the open pixel. */
  pixel: boolean;
  /** Custom recipient fields used (recipient.fields.<name>). */
  customFields: string[];
}

/** What templates may read: the context objects and their fields (plus `event`, a transactional message's free-form context). */
export const KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  recipient: ['id', 'email', 'firstName', 'lastName', 'emailFormat', 'fields'],
  delivery: ['id', 'label', 'internalName', 'kind'],
  message: ['id'],
  links: ['unsubscribe', 'mirror', 'preferences'],
};

const RESERVED_HEADERS = new Set(
  'from to cc bcc subject date message-id sender reply-to return-path received mime-version content-type content-transfer-encoding content-disposition list-id list-unsubscribe list-unsubscribe-post dkim-signature in-reply-to references'.split(
    ' ',
  ),
);

const FIELD_REF = /\b(recipient|delivery|message|links)\s*\??\.\s*([A-Za-z_$][\w$]*)(?:\s*\??\.\s*([A-Za-z_$][\w$]*))?/g;

function fieldIssues(codes: readonly string[], custom: Set<string>): Issue[] {
  const unknown = new Set<string>();
  for (const code of codes) {
    for (const m of code.matchAll(FIELD_REF)) {
      const [, object, field, sub] = m as unknown as [string, string, string, string | undefined];
      if (!KNOWN_FIELDS[object]!.includes(field)) unknown.add(`${object}.${field}`);
      else if (object === 'recipient' && field === 'fields' && sub) custom.add(sub);
    }
  }
  return [...unknown].map((f) => {
    const object = f.split('.')[0]!;
    const key = object === 'recipient' ? 'check.fields.unknown_recipient' : 'check.fields.unknown';
    return keyedIssue('fields.unknown', 'error', key, { field: f, known: KNOWN_FIELDS[object]!.join(', ') });
  });
}

function parsePart(name: string, source: string, issues: Issue[]): ParsedTemplate | undefined {
  try {
    return parseTemplate(source);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    issues.push({ rule: 'content.syntax', level: 'error', message: `${name}: ${err.message}` });
    return undefined;
  }
}

export function planContent(src: ContentSource): ContentPlan {
  const issues: Issue[] = [];
  const parts: RenderPart[] = [];
  const plans: Array<{ kind: PartKind; plan: PartPlan }> = [];
  const codes: string[] = [];
  const add = (kind: PartKind, name: string, source: string, header?: string) => {
    const parsed = parsePart(name, source, issues);
    if (!parsed) return;
    codes.push(...parsed.tags.map((t) => t.code));
    const options = { track: src.track, pixel: src.openPixel };
    const plan = kind === 'html' ? planHtml(name, parsed, options) : kind === 'text' ? planText(name, parsed, options) : planHeader(name, parsed);
    issues.push(...plan.issues);
    plans.push({ kind, plan });
    parts.push({ kind, header, nodes: plan.nodes });
  };
  if (/<herald-block\b/i.test(src.html)) issues.push(keyedIssue('blocks.unresolved', 'error', 'check.blocks.unresolved', undefined, 'html'));
  add('subject', 'subject', src.subject);
  if (src.html.trim()) add('html', 'html', src.html);
  if (src.text.trim()) add('text', 'text', src.text);
  for (const [name, template] of Object.entries(src.headers)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      issues.push(keyedIssue('headers.name', 'error', 'check.headers.name', { name: name.slice(0, 80) }));
      continue;
    }
    add('header', `header ${name}`, template, name);
  }
  const custom = new Set<string>();
  issues.push(...fieldIssues(codes, custom));
  const links: DetectedLink[] = [];
  for (const { plan } of plans) for (const l of plan.links) if (!links.some((x) => x.key === l.key)) links.push(l);
  const has = (kind: PartKind) => plans.some((p) => p.kind === kind && p.plan.systemLinks.has('unsubscribe'));
  return {
    parts,
    issues,
    links,
    written: { html: src.html.trim() !== '', text: src.text.trim() !== '' },
    unsubscribe: { html: has('html'), text: has('text') },
    usesMirror: codes.some((c) => /\blinks\s*\??\.\s*mirror\b/.test(c)),
    pixel: parts.some((p) => p.nodes.some((n) => typeof n === 'object' && 'pixel' in n)),
    customFields: [...custom].sort(),
  };
}
