import type { AuditRef } from '../../db/repos/audit-names.js';
import type { Translate } from '../i18n/translate.js';

/**
 * An audit log entry as a sentence (pure): "root subscribed ann@example.com to the service news",
 * the operator and the objects concerned as links. The sentence of each action is in the catalogue
 * (`audit.sentence.<action>`), with placeholders filled from the operator, the target and the
 * detail; the detail stays available in full below the sentence.
 */

export interface AuditRow {
  at: Date;
  operatorId: number | null;
  operatorLogin: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: string | null;
  ip: string | null;
}

/** A piece of a sentence: text, a link when it names an object. */
export interface Part {
  text: string;
  href?: string;
}

export interface AuditLine {
  at: Date;
  parts: Part[];
  details: Array<[string, string]>;
  ip: string | null;
}

const PAGES: Record<string, (id: number) => string> = {
  recipient: (id) => `/recipients/${id}`,
  operator: (id) => `/operators/${id}`,
  service: (id) => `/services/${id}`,
  list: (id) => `/lists/${id}`,
  delivery: (id) => `/deliveries/${id}`,
  workflow: (id) => `/workflows/${id}`,
  import: (id) => `/recipients/imports/${id}`,
  segment: (id) => `/audiences/${id}`,
  bulk_action: (id) => `/audiences/bulk/${id}`,
  bounce_text: () => '/monitoring/bounce-texts',
  content_block: (id) => `/content/blocks/${id}`,
  content_template: () => '/content',
  landing_page: (id) => `/content/pages/${id}`,
};

/** Detail fields that hold the id of a delivery (a proof sent, the template a delivery came from, the delivery an A/B test was set up on). */
const DELIVERY_IDS = { proof: 'proof', template: 'templateId', delivery: 'delivery' } as const;

function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const value: unknown = JSON.parse(detail);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { value: detail };
  }
}

const show = (v: unknown): string => (Array.isArray(v) ? v.map(show).join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
const idOf = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : undefined;

/** The objects a page of audit rows names, to look their names up in one go. */
export function auditRefs(rows: readonly AuditRow[]): AuditRef[] {
  const refs: AuditRef[] = [];
  for (const r of rows) {
    const target = idOf(r.targetId);
    if (r.targetType && target) refs.push({ type: r.targetType, id: target });
    const detail = parseDetail(r.detail);
    for (const field of Object.values(DELIVERY_IDS)) {
      const id = idOf(detail[field]);
      if (id) refs.push({ type: 'delivery', id });
    }
  }
  return refs;
}

function object(type: string, id: number | undefined, names: ReadonlyMap<string, string>, fallback: string): Part {
  const name = id ? names.get(`${type}:${id}`) : undefined;
  const page = id ? PAGES[type] : undefined;
  if (name !== undefined) return { text: name, href: page?.(id!) };
  return { text: fallback || (id ? `#${id}` : ''), href: id && page ? page(id) : undefined };
}

export function auditLine(row: AuditRow, names: ReadonlyMap<string, string>, t: Translate): AuditLine {
  const detail = parseDetail(row.detail);
  const values: Record<string, Part> = {
    operator: row.operatorLogin ? { text: row.operatorLogin, href: row.operatorId ? PAGES.operator!(row.operatorId) : undefined } : { text: t('audit.system') },
    // A target named by text (a domain) rather than an id is shown as it is.
    target: object(
      row.targetType ?? '',
      idOf(row.targetId),
      names,
      show(detail.name ?? detail.login ?? detail.file ?? (idOf(row.targetId) ? '' : (row.targetId ?? ''))),
    ),
  };
  for (const [key, value] of Object.entries(detail)) values[key] ??= { text: show(value) };
  for (const [key, field] of Object.entries(DELIVERY_IDS)) {
    const id = idOf(detail[field]);
    if (id) values[key] = object('delivery', id, names, '');
  }
  const variant = row.action === 'delivery_created' && idOf(detail.templateId) ? 'delivery_created_from' : row.action;
  const sentence = t(`audit.sentence.${variant}`);
  const parts: Part[] = [];
  sentence.split(/(\{\w+\})/).forEach((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    if (name) parts.push(values[name] ?? { text: '' });
    else if (piece) parts.push({ text: piece });
  });
  return { at: row.at, parts, details: Object.entries(detail).map(([k, v]) => [k, show(v)]), ip: row.ip };
}
