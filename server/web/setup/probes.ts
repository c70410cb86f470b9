import { Resolver } from 'node:dns/promises';
import { stat } from 'node:fs/promises';

/**
 * What the setup checklist looks at outside the database: DNS records (through a resolver the
 * config can point at given servers, `web.setupDnsServers`), the tracking server's health URL and
 * whether DKIM key files exist (never read: the web module does not hold DKIM keys).
 */

/** A DNS answer: the records found, `none` (the name or the type does not exist), or `error` (no answer). */
export type Lookup = { found: string[] } | { none: true } | { error: string };

export interface DnsLookup {
  mx(name: string): Promise<Lookup>;
  txt(name: string): Promise<Lookup>;
}

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

async function answer(run: () => Promise<string[]>): Promise<Lookup> {
  try {
    return { found: await run() };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return NOT_FOUND.has(code) ? { none: true } : { error: code || String(err) };
  }
}

/** A resolver on the given servers (`ip` or `ip:port`; empty: the system's), one try of `timeoutMs`. */
export function dnsLookup(servers: readonly string[], timeoutMs = 2000): DnsLookup {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers.length) resolver.setServers([...servers]);
  return {
    mx: (name) => answer(async () => (await resolver.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((r) => r.exchange)),
    txt: (name) => answer(async () => (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))),
  };
}

/** Whether a URL answers 2xx within `timeoutMs`; the detail says what went wrong. */
export async function probeUrl(url: string, timeoutMs = 3000): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return { ok: res.status >= 200 && res.status < 300, detail: `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, detail: cause ?? (err as Error).name ?? 'error' };
  }
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
