import type { Condition } from '../../db/filters/recipient-condition.js';
import type { Delivery } from '../../db/models/index.js';
import type { NewDelivery } from '../../delivery/actions.js';
import { CHANNELS, type Channel } from '../../shared/glossary.js';
import { parseExclusions, parseTargetSpec, type TargetSpec } from '../../delivery/target-spec.js';
import { canonicalTimeZone, instantAtLocalTime, parseLocalDay, parseLocalTime, wallClockAt } from '../../shared/time-zones/zone-maths.js';
import { checked, raw, text, type FieldErrors, type FormBody } from '../console/forms.js';
import { conditionOfForm } from './filter-form.js';
import { checkPushFields, parsePushContent, type PushContent, type PushUrgency } from '../../delivery/push/push-content.js';
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
  /** The zone the dates above are read in, and recipients without a zone of their own go by. */
  timeZone: string;
  /** `HH:MM` in each recipient's zone, or empty: send at once. */
  localSendTime: string;
  /** A push delivery's own fields (delivery/push/push-content.ts), as typed. */
  pushTitle: string;
  pushBody: string;
  pushUrl: string;
  pushIcon: string;
  pushImage: string;
  pushTtl: string;
  pushUrgency: string;
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
    timeZone: text(body, 'timeZone', 64),
    localSendTime: text(body, 'localSendTime', 5),
    pushTitle: raw(body, 'pushTitle', 1000)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    pushBody: raw(body, 'pushBody', 5000).replace(/\r\n?/g, '\n').trim(),
    pushUrl: text(body, 'pushUrl', 4000),
    pushIcon: text(body, 'pushIcon', 4000),
    pushImage: text(body, 'pushImage', 4000),
    pushTtl: text(body, 'pushTtl', 12),
    pushUrgency: text(body, 'pushUrgency', 16),
  };
}

/** The push fields checked (only a push delivery has them); errors go in `errors`. */
function parsePush(form: DeliveryForm, errors: FieldErrors): PushContent | null {
  if (form.channel !== 'push') return null;
  const problems = checkPushFields({
    title: form.pushTitle,
    body: form.pushBody,
    url: form.pushUrl,
    icon: form.pushIcon,
    image: form.pushImage,
    ttl: form.pushTtl,
    urgency: form.pushUrgency,
  });
  Object.assign(errors, problems);
  return {
    title: form.pushTitle,
    body: form.pushBody,
    url: form.pushUrl || null,
    icon: form.pushIcon || null,
    image: form.pushImage || null,
    ttlSeconds: form.pushTtl === '' ? null : Number(form.pushTtl),
    urgency: (form.pushUrgency || null) as PushUrgency | null,
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

/** A `datetime-local` value read on the wall clock of `zone`. */
function parseDate(value: string, zone: string): Date | null | undefined {
  if (value === '') return null;
  if (!DATETIME.test(value) || !parseLocalDay(value.slice(0, 10))) return undefined;
  return instantAtLocalTime(value.slice(0, 10), value.slice(11, 16), zone);
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
  const zone = form.timeZone === '' ? 'UTC' : canonicalTimeZone(form.timeZone);
  if (!zone) errors.timeZone = 'deliveries.error.time_zone';
  if (form.localSendTime !== '' && !parseLocalTime(form.localSendTime)) errors.localSendTime = 'deliveries.error.local_send_time';
  const scheduledAt = parseDate(form.scheduledAt, zone ?? 'UTC');
  const validityEnd = parseDate(form.validityEnd, zone ?? 'UTC');
  if (scheduledAt === undefined) errors.scheduledAt = 'form.error.datetime';
  if (validityEnd === undefined) errors.validityEnd = 'form.error.datetime';
  const { condition: filter, problem } = conditionOfForm(form);
  if (problem) errors.filter = 'deliveries.error.filter';
  const target = parseTarget(form, errors, filter);
  const pushContent = parsePush(form, errors);
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
    timeZone: zone === 'UTC' ? null : zone!,
    localSendTime: form.localSendTime || null,
    pushContent,
  };
  return { input, errors };
}

/** A stored instant as a `datetime-local` value on the wall clock of `zone`. */
function localInput(d: Date | null, zone: string): string {
  if (!d) return '';
  const w = wallClockAt(d, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

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
    scheduledAt: localInput(d.scheduledAt, d.timeZone ?? 'UTC'),
    validityEnd: localInput(d.validityEnd, d.timeZone ?? 'UTC'),
    timeZone: d.timeZone ?? '',
    localSendTime: d.localSendTime ?? '',
    ...pushFormOf(d),
  };
}

/** The push fields of a stored delivery; a push delivery written before them shows its subject and text part there. */
function pushFormOf(d: Delivery): Pick<DeliveryForm, 'pushTitle' | 'pushBody' | 'pushUrl' | 'pushIcon' | 'pushImage' | 'pushTtl' | 'pushUrgency'> {
  const p = parsePushContent(d.pushContent);
  if (p)
    return {
      pushTitle: p.title,
      pushBody: p.body,
      pushUrl: p.url ?? '',
      pushIcon: p.icon ?? '',
      pushImage: p.image ?? '',
      pushTtl: p.ttlSeconds === null ? '' : String(p.ttlSeconds),
      pushUrgency: p.urgency ?? '',
    };
  const older = d.channel === 'push';
  return { ...EMPTY_PUSH, pushTitle: older ? (d.subject ?? '') : '', pushBody: older ? (d.text ?? '').trim() : '' };
}

const EMPTY_PUSH = { pushTitle: '', pushBody: '', pushUrl: '', pushIcon: '', pushImage: '', pushTtl: '', pushUrgency: '' };

function safeTarget(value: unknown): TargetSpec {
  try {
    return parseTargetSpec(value);
  } catch {
    return { kind: 'all' };
  }
}

/** An empty form with Herald's defaults (tracked, every recipient), dates in `timeZone` (the operator's). */
export function emptyDeliveryForm(timeZone = ''): DeliveryForm {
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
    timeZone,
    localSendTime: '',
    ...EMPTY_PUSH,
  };
}
