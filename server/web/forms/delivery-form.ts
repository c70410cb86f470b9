import type { Condition } from '../../db/filters/recipient-condition.js';
import type { Delivery } from '../../db/models/index.js';
import type { NewDelivery } from '../../delivery/actions.js';
import { CHANNELS, type Channel } from '../../shared/glossary.js';
import { parseExclusions, parseTargetSpec, type TargetSpec } from '../../delivery/target-spec.js';
import { checked, raw, text, type FieldErrors, type FormBody } from '../console/forms.js';
import { conditionOfForm } from './filter-form.js';
import { FILTER_ROWS, rowsFromCondition, type FilterRow, type Match } from './filter-rows.js';

/**
 * The delivery form (create, edit, templates), pure: what the operator typed (`form`, shown again
 * on errors) and, when it is valid, the delivery values. Targets are a service, a list or every
 * recipient, narrowed by filter rows or by a condition in JSON (server/db/filters).
 */

export interface DeliveryForm {
  internalName: string;
  label: string;
  kind: 'marketing' | 'transactional';
  channel: Channel;
  subject: string;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  /** What the content field holds: HTML or MJML (either with content block references). */
  format: 'html' | 'mjml';
  html: string;
  text: string;
  headers: string;
  targetKind: 'all' | 'service' | 'list';
  serviceId: string;
  listId: string;
  match: Match;
  rows: FilterRow[];
  filterJson: string;
  limit: string;
  trackingEnabled: boolean;
  openTracking: boolean;
  scheduledAt: string;
  validityEnd: string;
}

/** What a valid form gives: a new delivery without what the route adds (name, exclusions, owner), and the limit. */
export type DeliveryInput = Omit<NewDelivery, 'internalName' | 'exclusions' | 'serviceId' | 'createdBy' | 'isTemplate' | 'templateId'> & {
  limit: number | null;
};

export const INTERNAL_NAME = /^(?!\d+$)[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

const blankRows = (rows: FilterRow[] = []) => [
  ...rows,
  ...Array.from({ length: Math.max(0, FILTER_ROWS - rows.length) }, () => ({ field: '', op: 'eq', value: '' })),
];

export function readDeliveryForm(body: FormBody, contentMax: number): DeliveryForm {
  const rows = Array.from({ length: FILTER_ROWS }, (_, i) => ({
    field: text(body, `f${i}_field`, 80),
    op: text(body, `f${i}_op`, 16) || 'eq',
    value: text(body, `f${i}_value`, 4000),
  }));
  const targetKind = text(body, 'targetKind', 10);
  return {
    internalName: text(body, 'internalName', 100),
    label: text(body, 'label'),
    kind: text(body, 'kind', 16) === 'transactional' ? 'transactional' : 'marketing',
    channel: (CHANNELS as readonly string[]).includes(text(body, 'channel', 16)) ? (text(body, 'channel', 16) as Channel) : 'email',
    subject: raw(body, 'subject', 998).replace(/[\r\n]+/g, ' '),
    fromName: text(body, 'fromName'),
    fromAddress: text(body, 'fromAddress', 320).toLowerCase(),
    replyTo: text(body, 'replyTo', 320).toLowerCase(),
    format: text(body, 'format', 8) === 'mjml' ? 'mjml' : 'html',
    html: raw(body, 'html', contentMax),
    text: raw(body, 'text', contentMax),
    headers: raw(body, 'headers', 8000),
    targetKind: targetKind === 'service' || targetKind === 'list' ? targetKind : 'all',
    serviceId: text(body, 'serviceId', 12),
    listId: text(body, 'listId', 12),
    match: text(body, 'match', 3) === 'any' ? 'any' : 'all',
    rows,
    filterJson: raw(body, 'filterJson', 20_000).trim(),
    limit: text(body, 'limit', 12),
    trackingEnabled: checked(body, 'trackingEnabled'),
    openTracking: checked(body, 'openTracking'),
    scheduledAt: text(body, 'scheduledAt', 20),
    validityEnd: text(body, 'validityEnd', 20),
  };
}

function parseHeaders(textValue: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const line of textValue.split(/\r?\n/).filter((l) => l.trim() !== '')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(0, colon)).trim();
    if (colon < 1 || !HEADER_NAME.test(name)) return undefined;
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parseDate(value: string): Date | null | undefined {
  if (value === '') return null;
  const date = DATETIME.test(value) ? new Date(`${value}:00Z`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function parseTarget(form: DeliveryForm, errors: FieldErrors, filter: Condition | undefined): TargetSpec {
  const id = (v: string) => (/^[1-9]\d{0,9}$/.test(v) ? Number(v) : 0);
  if (form.targetKind === 'service' && !id(form.serviceId)) errors.serviceId = 'deliveries.error.service';
  if (form.targetKind === 'list' && !id(form.listId)) errors.listId = 'deliveries.error.list';
  if (form.targetKind === 'service') return { kind: 'service', serviceId: id(form.serviceId) || 1, filter };
  if (form.targetKind === 'list') return { kind: 'list', listId: id(form.listId) || 1, filter };
  return { kind: 'all', filter };
}

/** Checks the form; `creating` also checks the internal name. */
export function parseDeliveryForm(form: DeliveryForm, creating: boolean): { input?: DeliveryInput; errors: FieldErrors; filterProblem?: string } {
  const errors: FieldErrors = {};
  if (creating && !INTERNAL_NAME.test(form.internalName)) errors.internalName = 'deliveries.error.internal_name';
  if (!form.label) errors.label = 'form.error.required';
  if (!form.fromAddress && form.channel === 'email') errors.fromAddress = 'form.error.required';
  const headers = parseHeaders(form.headers);
  if (!headers) errors.headers = 'deliveries.error.headers';
  const limit = form.limit === '' ? null : /^[1-9]\d{0,9}$/.test(form.limit) ? Number(form.limit) : undefined;
  if (limit === undefined) errors.limit = 'deliveries.error.limit';
  const scheduledAt = parseDate(form.scheduledAt);
  const validityEnd = parseDate(form.validityEnd);
  if (scheduledAt === undefined) errors.scheduledAt = 'form.error.datetime';
  if (validityEnd === undefined) errors.validityEnd = 'form.error.datetime';
  const { condition: filter, problem } = conditionOfForm(form);
  if (problem) errors.filter = 'deliveries.error.filter';
  const target = parseTarget(form, errors, filter);
  if (Object.keys(errors).length > 0) return { errors, filterProblem: problem };
  const input: DeliveryInput = {
    label: form.label,
    kind: form.kind,
    channel: form.channel,
    subject: form.subject,
    fromName: form.fromName || null,
    fromAddress: form.fromAddress,
    replyTo: form.replyTo || null,
    format: form.format,
    html: form.html.trim() ? form.html : null,
    text: form.text.trim() ? form.text : null,
    headers: headers!,
    target,
    limit: limit!,
    trackingEnabled: form.trackingEnabled,
    openTracking: form.trackingEnabled && form.openTracking,
    scheduledAt: scheduledAt!,
    validityEnd: validityEnd!,
  };
  return { input, errors };
}

const localInput = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : '');

/** The form showing a stored delivery (to edit it, or to start a new one from a template). */
export function formOfDelivery(d: Delivery): DeliveryForm {
  const target = safeTarget(d.target);
  const filter = target.kind === 'addresses' ? undefined : target.filter;
  const rows = rowsFromCondition(filter);
  return {
    internalName: d.internalName,
    label: d.label,
    kind: d.kind === 'transactional' ? 'transactional' : 'marketing',
    channel: d.channel,
    subject: d.subject ?? '',
    fromName: d.fromName ?? '',
    fromAddress: d.fromAddress ?? '',
    replyTo: d.replyTo ?? '',
    format: d.contentFormat === 'mjml' ? 'mjml' : 'html',
    html: d.html ?? '',
    text: d.text ?? '',
    headers: Object.entries(d.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    targetKind: target.kind === 'service' || target.kind === 'list' ? target.kind : 'all',
    serviceId: target.kind === 'service' ? String(target.serviceId) : '',
    listId: target.kind === 'list' ? String(target.listId) : '',
    match: rows?.match ?? 'all',
    rows: blankRows(rows?.rows),
    filterJson: rows || !filter ? '' : JSON.stringify(filter, null, 2),
    limit: String(parseExclusions(d.exclusions).limit ?? ''),
    trackingEnabled: d.trackingEnabled,
    openTracking: d.openTracking,
    scheduledAt: localInput(d.scheduledAt),
    validityEnd: localInput(d.validityEnd),
  };
}

function safeTarget(value: unknown): TargetSpec {
  try {
    return parseTargetSpec(value);
  } catch {
    return { kind: 'all' };
  }
}

/** An empty form with Herald's defaults (tracked, every recipient). */
export function emptyDeliveryForm(): DeliveryForm {
  return {
    internalName: '',
    label: '',
    kind: 'marketing',
    channel: 'email',
    subject: '',
    fromName: '',
    fromAddress: '',
    replyTo: '',
    format: 'html',
    html: '',
    text: '',
    headers: '',
    targetKind: 'all',
    serviceId: '',
    listId: '',
    match: 'all',
    rows: blankRows(),
    filterJson: '',
    limit: '',
    trackingEnabled: true,
    openTracking: true,
    scheduledAt: '',
    validityEnd: '',
  };
}
