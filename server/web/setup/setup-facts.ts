import type { Database } from '../../db/connect.js';
import { adminsWithOneTimePassword, proofWasSent } from '../../db/repos/home-figures.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { isLocalHost, setupChecklist, type SetupFacts, type SetupItem } from './checklist.js';
import { dnsLookup, fileExists, probeUrl, type DnsLookup } from './probes.js';

/**
 * Gathers the setup checklist's facts: the config, the database, DNS (through `web.setupDnsServers`
 * or an injected resolver; none at all with `web.setupDnsCheck = false`) and the tracking server's
 * health URL (`/r/test`, not probed when the public URL names this machine). Every look-up runs at
 * once with a short timeout; the home page keeps the result a few minutes.
 */

export interface SetupProbes {
  dns?: DnsLookup;
  probe?: (url: string) => Promise<{ ok: boolean; detail: string }>;
}

export async function gatherSetupFacts(config: HeraldConfig, db: Database, probes: SetupProbes = {}): Promise<SetupFacts> {
  const dns = config.web.setupDnsCheck ? (probes.dns ?? dnsLookup(config.web.setupDnsServers)) : undefined;
  const probe = probes.probe ?? ((url: string) => probeUrl(url));
  const bounceDomain = config.mail.bounceDomain;
  const trackingUrl = config.tracking.publicUrl;
  const health = new URL('r/test', trackingUrl.endsWith('/') ? trackingUrl : `${trackingUrl}/`).toString();
  const [bounceMx, dkim, trackingProbe, proofSent, oneTimeAdmins] = await Promise.all([
    dns && bounceDomain ? dns.mx(bounceDomain) : undefined,
    Promise.all(
      config.delivery.dkim.map(async (k) => ({
        domain: k.domain.toLowerCase(),
        selector: k.selector,
        keyFileFound: await fileExists(k.keyFile),
        record: dns ? await dns.txt(`${k.selector}._domainkey.${k.domain.toLowerCase()}`) : undefined,
      })),
    ),
    isLocalHost(new URL(trackingUrl).hostname) ? undefined : probe(health),
    proofWasSent(db),
    adminsWithOneTimePassword(db),
  ]);
  return {
    transport: config.mta.transport,
    relayHost: config.mta.relayHost,
    bounceDomain,
    bounceMx,
    dkim,
    trackingUrl,
    trackingProbe,
    proofSent,
    oneTimeAdmins,
  };
}

export async function setupItems(config: HeraldConfig, db: Database, probes?: SetupProbes): Promise<SetupItem[]> {
  return setupChecklist(await gatherSetupFacts(config, db, probes));
}
