import { FAMILIES, ROLE_SIGNS, type Family, type FamilyRole, type FamilySigns } from './families.js';

/**
 * Recognising the families of families.ts in a message: the reporting family from the bounce's
 * own From, subject, header section and report text; the provider of each reply from the remote
 * server's host name, the reply's own wording, then the recipient's domain. `known` limits the
 * families recognised (all by default); the accuracy benchmark's cross-validation uses it to
 * measure the classifier on families it is not allowed to know. Pure.
 */

/** What the reporting family is recognised from. */
export interface ReportView {
  from: string;
  subject: string;
  /** The bounce's own header section, one `Name: value` per line (unfolded). */
  headers: string;
  /** The report text and the delivery-status part; only their first REPORT_HEAD characters are read. */
  text: string;
}

/** Which families may be recognised (undefined: all of them). */
export type KnownFamilies = ReadonlySet<string> | undefined;

const REPORT_HEAD = 16 * 1024;

function signed(signs: FamilySigns, view: ReportView, head: string): boolean {
  return Boolean(
    (signs.from && signs.from.test(view.from)) ||
    (signs.subject && signs.subject.test(view.subject)) ||
    (signs.headers && signs.headers.test(view.headers)) ||
    (signs.body && signs.body.test(head)),
  );
}

function allowed(family: Family, known: KnownFamilies): boolean {
  return known === undefined || known.has(family.id);
}

/** The family that wrote the report, or undefined when none is recognised. */
export function reporterFamily(view: ReportView, known?: KnownFamilies): Family | undefined {
  const head = view.text.length > REPORT_HEAD ? view.text.slice(0, REPORT_HEAD) : view.text;
  return FAMILIES.find((f) => f.reporter !== undefined && allowed(f, known) && signed(f.reporter, view, head));
}

/**
 * The role of the report's writer: its family's when recognised, else what the report says of
 * itself (a filtering product naming itself as one, ROLE_SIGNS), else undefined.
 */
export function reporterRole(view: ReportView, family: Family | undefined): FamilyRole | undefined {
  if (family) return family.role;
  const head = view.text.length > REPORT_HEAD ? view.text.slice(0, REPORT_HEAD) : view.text;
  return ROLE_SIGNS.find((r) => signed(r.signs, view, head))?.role;
}

/** What a reply's provider is recognised from. */
export interface ReplyView {
  /** The Remote-MTA, when the report names it. */
  remoteMta?: string;
  /** The reply text (host names quoted in it and the provider's own wording). */
  text: string;
  /** The recipient address (its domain). */
  address: string;
}

function byHost(text: string, known: KnownFamilies): Family | undefined {
  return text ? FAMILIES.find((f) => f.hosts !== undefined && allowed(f, known) && f.hosts.test(text)) : undefined;
}

/**
 * The provider whose server gave the reply, or undefined: the Remote-MTA's host name first, then
 * the recipient's domain (its mailbox is there), then host names and wording in the reply (which
 * may also quote the sender's side, so it comes last).
 */
export function providerFamily(reply: ReplyView, known?: KnownFamilies): Family | undefined {
  const remote = byHost(reply.remoteMta ?? '', known);
  if (remote) return remote;
  const domain = reply.address.slice(reply.address.lastIndexOf('@') + 1).toLowerCase();
  const hosted = domain ? FAMILIES.find((f) => f.domains !== undefined && allowed(f, known) && f.domains.test(domain)) : undefined;
  return hosted ?? byHost(reply.text.slice(0, 2000), known);
}
