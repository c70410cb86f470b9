/**
 * Which instance a request is for, from its Host header: the one web process and the one tracking
 * process serve every instance of the appliance, each under the host names its site config declares
 * (`web.hosts`, `tracking.hosts`). Pure: the table is built from the declarations, the resolver reads
 * it.
 *
 * - No instance declares a host: the default instance answers every host (one instance, as always).
 * - Otherwise the table is strict: a host no instance declares is unknown (the web answers 421),
 *   never served by some other instance.
 * - A host declared by an instance whose site config cannot be loaded resolves to it as
 *   `unavailable` (the web answers 503), not to another instance.
 */

export interface HostClaim {
  instance: string;
  hosts: readonly string[];
  /** Its site config failed to load: requests for its hosts are refused, not served by another. */
  unavailable?: boolean;
}

export interface HostTable {
  readonly byHost: ReadonlyMap<string, { instance: string; unavailable: boolean }>;
  /** No host declared anywhere: every request goes to the default instance. */
  readonly catchAll: string | undefined;
}

export type HostMatch = { kind: 'instance'; instance: string } | { kind: 'unavailable'; instance: string } | { kind: 'unknown'; host: string };

/** `Brand-B.Example.` → `brand-b.example`; the port is kept (compared first with it, then without). */
export function normalizeHost(host: string | undefined): string {
  return (host ?? '').trim().toLowerCase().replace(/\.(?=:\d+$|$)/, '');
}

/** The table of claims, in order: a host claimed twice stays with the first claim (the loader refuses the second). */
export function buildHostTable(claims: readonly HostClaim[], defaultInstance: string): HostTable {
  const byHost = new Map<string, { instance: string; unavailable: boolean }>();
  for (const claim of claims) {
    for (const host of claim.hosts) {
      const key = normalizeHost(host);
      if (key && !byHost.has(key)) byHost.set(key, { instance: claim.instance, unavailable: claim.unavailable === true });
    }
  }
  return { byHost, catchAll: byHost.size === 0 ? defaultInstance : undefined };
}

export function resolveHost(table: HostTable, hostHeader: string | undefined): HostMatch {
  if (table.catchAll !== undefined) return { kind: 'instance', instance: table.catchAll };
  const host = normalizeHost(hostHeader);
  const found = table.byHost.get(host) ?? table.byHost.get(host.replace(/:\d+$/, ''));
  if (!found) return { kind: 'unknown', host: host.slice(0, 255) };
  return found.unavailable ? { kind: 'unavailable', instance: found.instance } : { kind: 'instance', instance: found.instance };
}

/** Hosts claimed by two instances: each problem names the second claimant, the key and the first claimant. */
export function duplicateHosts(
  claims: ReadonlyArray<{ instance: string; siteFile: string; key: string; hosts: readonly string[] }>,
): Array<{ instance: string; siteFile: string; key: string; reason: string }> {
  const seen = new Map<string, { instance: string; siteFile: string; key: string }>();
  const problems: Array<{ instance: string; siteFile: string; key: string; reason: string }> = [];
  for (const claim of claims) {
    for (const host of claim.hosts) {
      const key = normalizeHost(host);
      const first = seen.get(`${claim.key} ${key}`);
      if (first && first.instance !== claim.instance) {
        problems.push({
          instance: claim.instance,
          siteFile: claim.siteFile,
          key: claim.key,
          reason: `host "${key}" is claimed by instance ${first.instance} too (${first.siteFile}: ${first.key}); a host belongs to one instance`,
        });
      } else seen.set(`${claim.key} ${key}`, claim);
    }
  }
  return problems;
}
