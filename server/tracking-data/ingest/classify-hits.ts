import type { TrackingUrlType } from '../../shared/glossary.js';
import { BOT_RULES, hitKind, type BotReason, type BotRule, type HitKind, type LinkBurstRule } from './bot-rules.js';

/**
 * Flags the automated hits among all the hits of one message (one broad log), by the rules of
 * bot-rules.ts: the first rule that matches a hit gives its reason; hits no rule matches are human.
 * Pure: the message's send time and link count are passed in.
 */
export interface RecipientHit {
  key: string;
  urlId: number | null;
  type: TrackingUrlType;
  /** Milliseconds since the epoch. */
  at: number;
  userAgent: string | null;
}

export interface MessageContext {
  /** When the message was sent (ms), if known. */
  sentAt: number | null;
  /** How many links (click and opt-out URLs) the message has. */
  links: number;
}

export function classifyRecipientHits(
  hits: readonly RecipientHit[],
  context: MessageContext,
  rules: readonly BotRule[] = BOT_RULES,
): Map<string, BotReason | null> {
  const reasons = new Map<string, BotReason | null>();
  for (const hit of hits) reasons.set(hit.key, perHitReason(hit, context, rules));
  for (const rule of rules) {
    if (rule.kind !== 'link_burst') continue;
    for (const key of burstKeys(hits, context.links, rule)) if (!reasons.get(key)) reasons.set(key, rule.reason);
  }
  return reasons;
}

const applies = (wanted: HitKind, kind: ReturnType<typeof hitKind>) => wanted === 'any' || wanted === kind;

function perHitReason(hit: RecipientHit, context: MessageContext, rules: readonly BotRule[]): BotReason | null {
  const kind = hitKind(hit.type);
  for (const rule of rules) {
    if (rule.kind === 'link_burst' || !applies(rule.hits, kind)) continue;
    if (rule.kind === 'user_agent' && rule.pattern.test(hit.userAgent ?? '')) return rule.reason;
    if (rule.kind === 'after_send' && context.sentAt !== null && hit.at - context.sentAt < rule.seconds * 1000) return rule.reason;
  }
  return null;
}

/** Keys of link hits that fall in a window where enough different links were hit. */
function burstKeys(hits: readonly RecipientHit[], links: number, rule: LinkBurstRule): Set<string> {
  const needed = Math.min(rule.minLinks, links);
  const flagged = new Set<string>();
  if (needed < 2) return flagged;
  const linkHits = hits.filter((h) => hitKind(h.type) === 'link').sort((a, b) => a.at - b.at);
  for (let i = 0; i < linkHits.length; i++) {
    const distinct = new Set<number | null>();
    let j = i;
    while (j < linkHits.length && linkHits[j]!.at - linkHits[i]!.at <= rule.windowSeconds * 1000) distinct.add(linkHits[j++]!.urlId);
    if (distinct.size >= needed) for (let k = i; k < j; k++) flagged.add(linkHits[k]!.key);
  }
  return flagged;
}
