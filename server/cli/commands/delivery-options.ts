import { readFileSync } from 'node:fs';
import type { Database } from '../../db/connect.js';
import { findList, findListNamed } from '../../db/repos/lists.js';
import { findService, findServiceNamed } from '../../db/repos/services.js';
import type { DeliveryEdit, NewDelivery } from '../../delivery/actions.js';
import { DEFAULT_EXCLUSIONS, parseCondition, type TargetSpec } from '../../delivery/target-spec.js';
import { normalizeAddress } from '../../shared/email-address.js';
import { HeraldError, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { CommandInput } from '../command.js';

/** Turns the flags of `herald delivery create` into a new delivery (files read, names resolved). */

export const CREATE_OPTIONS = {
  label: { type: 'string' },
  subject: { type: 'string' },
  from: { type: 'string' },
  'reply-to': { type: 'string' },
  html: { type: 'string' },
  text: { type: 'string' },
  header: { type: 'string', multiple: true },
  service: { type: 'string' },
  list: { type: 'string' },
  all: { type: 'boolean' },
  filter: { type: 'string' },
  kind: { type: 'string' },
  limit: { type: 'string' },
  'keep-duplicates': { type: 'boolean' },
  'no-tracking': { type: 'boolean' },
  'no-open-tracking': { type: 'boolean' },
  schedule: { type: 'string' },
  'validity-end': { type: 'string' },
} as const;

const str = (input: CommandInput, name: string) => (typeof input.flags[name] === 'string' ? (input.flags[name] as string) : undefined);

export function readContent(file: string | undefined): string | null {
  if (file === undefined) return null;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new HeraldError('NO_INPUT', `cannot read ${file}`, { exitCode: EXIT.NO_INPUT });
  }
}

/** `Name <address>` or `address`. */
export function parseFrom(text: string): { name: string | null; address: string } {
  const m = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(text);
  if (m) return { name: m[1]!.replace(/^"(.*)"$/, '$1') || null, address: normalizeAddress(m[2]) };
  return { name: null, address: normalizeAddress(text) };
}

function parseDate(text: string | undefined, flag: string): Date | null {
  if (text === undefined) return null;
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new UsageError(`--${flag} takes an ISO date, e.g. 2026-05-01T09:00:00Z`);
  return d;
}

export function parseHeaders(values: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of values ?? []) {
    const colon = h.indexOf(':');
    if (colon < 1) throw new UsageError('--header takes "Name: value template"');
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  return headers;
}

async function parseTarget(db: Database, input: CommandInput): Promise<TargetSpec> {
  const service = str(input, 'service');
  const list = str(input, 'list');
  const chosen = [service, list, input.flags.all ? 'all' : undefined].filter(Boolean);
  if (chosen.length !== 1) throw new UsageError('choose the target: --service <name>, --list <name> or --all (optionally with --filter)');
  let filter;
  const filterText = str(input, 'filter');
  if (filterText !== undefined) {
    try {
      filter = parseCondition(JSON.parse(filterText));
    } catch (err) {
      if (err instanceof SyntaxError)
        throw new UsageError(`--filter takes JSON conditions, e.g. '{"all":[{"field":"fields.city","op":"eq","value":"Paris"},{"not":{"inList":"vip"}}]}'`);
      throw err;
    }
  }
  const notFound = (what: string, name: string) => new HeraldError('TARGET_INVALID', `no ${what} "${name}"`, { exitCode: EXIT.DATA });
  if (service !== undefined) {
    const s = /^\d+$/.test(service) ? await findService(db, Number(service)) : await findServiceNamed(db, service);
    if (!s) throw notFound('service', service);
    return { kind: 'service', serviceId: s.id, filter };
  }
  if (list !== undefined) {
    const l = /^\d+$/.test(list) ? await findList(db, Number(list)) : await findListNamed(db, list);
    if (!l) throw notFound('list', list);
    return { kind: 'list', listId: l.id, filter };
  }
  return { kind: 'all', filter };
}

function parseLimit(input: CommandInput): number | null | undefined {
  const limit = str(input, 'limit');
  if (limit === undefined) return undefined;
  if (limit === 'none') return null;
  if (!/^[1-9]\d*$/.test(limit)) throw new UsageError('--limit takes a positive number (or "none" to remove it)');
  return Number(limit);
}

export async function newDeliveryFromFlags(db: Database, input: CommandInput): Promise<NewDelivery> {
  const from = str(input, 'from');
  if (!from) throw new UsageError('delivery create needs --from "Name <address>"');
  const kind = str(input, 'kind') ?? 'marketing';
  if (kind !== 'marketing' && kind !== 'transactional') throw new UsageError('--kind is marketing or transactional');
  const limit = parseLimit(input);
  const sender = parseFrom(from);
  const internalName = input.args[0]!;
  const target = await parseTarget(db, input);
  return {
    internalName,
    label: str(input, 'label') ?? internalName,
    kind,
    subject: str(input, 'subject') ?? '',
    fromName: sender.name,
    fromAddress: sender.address,
    replyTo: str(input, 'reply-to') ?? null,
    html: readContent(str(input, 'html')),
    text: readContent(str(input, 'text')),
    headers: parseHeaders(input.flags.header as string[] | undefined),
    target,
    exclusions: {
      ...DEFAULT_EXCLUSIONS,
      duplicates: !input.flags['keep-duplicates'],
      limit: limit ?? null,
    },
    serviceId: target.kind === 'service' ? target.serviceId : null,
    trackingEnabled: !input.flags['no-tracking'],
    openTracking: !input.flags['no-tracking'] && !input.flags['no-open-tracking'],
    scheduledAt: parseDate(str(input, 'schedule'), 'schedule'),
    validityEnd: parseDate(str(input, 'validity-end'), 'validity-end'),
  };
}

/** The flags `herald delivery edit` may change; absent flags keep their value. */
const EDITABLE = [
  'label',
  'subject',
  'from',
  'reply-to',
  'html',
  'text',
  'header',
  'service',
  'list',
  'all',
  'filter',
  'limit',
  'schedule',
  'validity-end',
] as const;
export const EDIT_OPTIONS = Object.fromEntries(EDITABLE.map((k) => [k, CREATE_OPTIONS[k]])) as Pick<typeof CREATE_OPTIONS, (typeof EDITABLE)[number]>;

export async function deliveryEditFromFlags(db: Database, input: CommandInput): Promise<DeliveryEdit> {
  const edit: DeliveryEdit = {};
  const set = <K extends keyof DeliveryEdit>(key: K, value: DeliveryEdit[K] | undefined) => {
    if (value !== undefined) edit[key] = value;
  };
  set('label', str(input, 'label'));
  set('subject', str(input, 'subject'));
  const from = str(input, 'from');
  if (from !== undefined) Object.assign(edit, { fromName: parseFrom(from).name, fromAddress: parseFrom(from).address });
  set('replyTo', str(input, 'reply-to'));
  set('html', str(input, 'html') === undefined ? undefined : readContent(str(input, 'html')));
  set('text', str(input, 'text') === undefined ? undefined : readContent(str(input, 'text')));
  if (input.flags.header) edit.headers = parseHeaders(input.flags.header as string[]);
  if (input.flags.service || input.flags.list || input.flags.all) {
    edit.target = await parseTarget(db, input);
    edit.serviceId = edit.target.kind === 'service' ? edit.target.serviceId : null;
  } else if (input.flags.filter) throw new UsageError('--filter goes with --service, --list or --all');
  set('limit', parseLimit(input));
  set('scheduledAt', input.flags.schedule === undefined ? undefined : parseDate(str(input, 'schedule'), 'schedule'));
  set('validityEnd', input.flags['validity-end'] === undefined ? undefined : parseDate(str(input, 'validity-end'), 'validity-end'));
  if (Object.keys(edit).length === 0) throw new UsageError('nothing to change: give at least one of the options');
  return edit;
}
