import type { Lookup } from './probes.js';

/**
 * The setup checklist (pure): from facts gathered by setup-facts.ts, what is still missing before
 * Herald sends real mail, each item with what was found and where it is fixed. `unknown` means the
 * fact could not be checked from here (DNS switched off or not answering): never shown as done.
 */

export const SETUP_ITEMS = ['smtp', 'bounce_domain', 'dkim_key', 'dkim_record', 'tracking', 'proof', 'admin_password'] as const;
export type SetupItemId = (typeof SETUP_ITEMS)[number];
export type SetupState = 'done' | 'missing' | 'unknown';

export interface SetupItem {
  id: SetupItemId;
  state: SetupState;
  /** Message key (setup.detail.<code>) and its parameters: what was found. */
  detail: { code: string; params?: Record<string, string> };
  /** Where it is fixed: a console page, or the item's instructions on /setup. */
  fix: string;
}

export interface SetupFacts {
  transport: 'capture' | 'smtp' | 'verify';
  relayHost: string;
  bounceDomain: string;
  /** The bounce domain's MX look-up; undefined when DNS checks are off. */
  bounceMx?: Lookup;
  dkim: Array<{
    domain: string;
    selector: string;
    keyFileFound: boolean;
    /** The TXT look-up of `<selector>._domainkey.<domain>`; undefined when DNS checks are off. */
    record?: Lookup;
  }>;
  trackingUrl: string;
  /** The tracking server's health answer at its public URL; undefined when not probed (a local address). */
  trackingProbe?: { ok: boolean; detail: string };
  proofSent: boolean;
  /** Administrators who have not replaced their one-time password yet. */
  oneTimeAdmins: Array<{ id: number; login: string }>;
}

/** Names that never resolve on the internet (RFC 2606, RFC 6761, mDNS). */
const RESERVED = /(^|\.)(localhost|test|example|invalid|local)$/i;

/** Whether a URL's host is this machine only (recipients could never reach it). */
export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return RESERVED.test(h) || h === '::1' || /^127\./.test(h) || h === '0.0.0.0';
}

const setup = (id: SetupItemId) => `/setup#${id}`;
const item = (id: SetupItemId, state: SetupState, code: string, params?: Record<string, string>, fix = setup(id)): SetupItem => ({
  id,
  state,
  detail: { code, params },
  fix,
});

function smtp(f: SetupFacts): SetupItem {
  if (f.transport === 'smtp') return f.relayHost ? item('smtp', 'done', 'smtp_relay', { host: f.relayHost }) : item('smtp', 'done', 'smtp_direct');
  return item('smtp', 'missing', `transport_${f.transport}`);
}

function bounceDomain(f: SetupFacts): SetupItem {
  const domain = f.bounceDomain;
  if (!domain || RESERVED.test(domain)) return item('bounce_domain', 'missing', 'bounce_reserved', { domain });
  const mx = f.bounceMx;
  if (!mx) return item('bounce_domain', 'unknown', 'dns_off', { domain });
  if ('error' in mx) return item('bounce_domain', 'unknown', 'dns_error', { name: domain, error: mx.error });
  if ('none' in mx || mx.found.length === 0) return item('bounce_domain', 'missing', 'bounce_no_mx', { domain });
  return item('bounce_domain', 'done', 'bounce_mx', { domain, hosts: mx.found.join(', ') });
}

function dkimKey(f: SetupFacts): SetupItem {
  if (f.dkim.length === 0) return item('dkim_key', 'missing', 'dkim_none');
  const lost = f.dkim.find((k) => !k.keyFileFound);
  if (lost) return item('dkim_key', 'missing', 'dkim_file', { domain: lost.domain, selector: lost.selector });
  return item('dkim_key', 'done', 'dkim_keys', { keys: f.dkim.map((k) => `${k.selector}._domainkey.${k.domain}`).join(', ') });
}

/** A published DKIM key record: `v=DKIM1` (optional) and a non-empty `p=` tag. */
export function isDkimRecord(txt: string): boolean {
  const tags = new Map(
    txt.split(';').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).replace(/\s+/g, '')] as const;
    }),
  );
  return (tags.get('v') ?? 'DKIM1') === 'DKIM1' && (tags.get('p') ?? '').length > 0;
}

function dkimRecord(f: SetupFacts): SetupItem {
  if (f.dkim.length === 0) return item('dkim_record', 'missing', 'dkim_none');
  let unknown: SetupItem | undefined;
  for (const k of f.dkim) {
    const name = `${k.selector}._domainkey.${k.domain}`;
    if (!k.record) unknown ??= item('dkim_record', 'unknown', 'dns_off', { domain: name });
    else if ('error' in k.record) unknown ??= item('dkim_record', 'unknown', 'dns_error', { name, error: k.record.error });
    else if ('none' in k.record || !k.record.found.some(isDkimRecord)) return item('dkim_record', 'missing', 'dkim_unpublished', { name });
  }
  return unknown ?? item('dkim_record', 'done', 'dkim_published', { names: f.dkim.map((k) => `${k.selector}._domainkey.${k.domain}`).join(', ') });
}

function tracking(f: SetupFacts): SetupItem {
  const url = new URL(f.trackingUrl);
  if (isLocalHost(url.hostname)) return item('tracking', 'missing', 'tracking_local', { url: f.trackingUrl });
  if (!f.trackingProbe) return item('tracking', 'unknown', 'tracking_unchecked', { url: f.trackingUrl });
  return f.trackingProbe.ok
    ? item('tracking', 'done', 'tracking_ok', { url: f.trackingUrl })
    : item('tracking', 'missing', 'tracking_down', { url: f.trackingUrl, error: f.trackingProbe.detail });
}

export function setupChecklist(f: SetupFacts): SetupItem[] {
  const admins = f.oneTimeAdmins;
  return [
    smtp(f),
    bounceDomain(f),
    dkimKey(f),
    dkimRecord(f),
    tracking(f),
    f.proofSent ? item('proof', 'done', 'proof_sent', undefined, '/deliveries') : item('proof', 'missing', 'proof_none', undefined, '/deliveries'),
    admins.length === 0
      ? item('admin_password', 'done', 'admin_changed', undefined, '/operators')
      : item('admin_password', 'missing', 'admin_one_time', { logins: admins.map((a) => a.login).join(', ') }, `/operators/${admins[0]!.id}`),
  ];
}
