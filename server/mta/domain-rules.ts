/**
 * Adobe's MX rules as data: an ordered list of patterns with limits; the first rule whose pattern
 * fits the recipient domain or one of its MX host names applies. Pure.
 */

export interface DomainRule {
  match: string;
  /** Limits shared by every domain the rule matches (e.g. all Google-hosted domains), or per domain. */
  shared: boolean;
  maxConnections: number;
  maxMessagesPerConnection: number;
  /** 0: unlimited. */
  messagesPerHour: number;
}

export interface DomainLimits {
  /** Which throttle the message counts against: the rule (shared) or the domain. */
  key: string;
  rule: DomainRule;
}

const cache = new Map<string, RegExp>();

/** `*` any run of characters, `?` one character; case-insensitive, anchored. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .toLowerCase()
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

export function limitsFor(rules: readonly DomainRule[], domain: string, mxHosts: readonly string[] = []): DomainLimits {
  const names = [domain.toLowerCase(), ...mxHosts.map((h) => h.toLowerCase().replace(/\.$/, ''))];
  const index = rules.findIndex((r) => names.some((n) => globToRegExp(r.match).test(n)));
  const rule = rules[index === -1 ? rules.length - 1 : index]!;
  return { key: rule.shared ? `rule:${rule.match}` : `domain:${domain.toLowerCase()}`, rule };
}
