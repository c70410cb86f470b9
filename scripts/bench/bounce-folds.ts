import { FAMILY_IDS } from '../../server/bounce/families.js';
import type { Rule, RuleSet } from '../../server/bounce/rules-file.js';

/**
 * Grouped cross-validation for `bench bounce-accuracy`: which provider family each corpus message
 * belongs to, the folds (no family in both a fold and the rest), and what the classifier may not
 * know when it scores a fold.
 *
 * A rule-based classifier is "trained" by people reading samples, so holding a family out means:
 * - its signs are not recognised (neither as the reporting family nor as the provider of a reply):
 *   its messages are read by the generic parsers and reach only the generic rules;
 * - every rule whose samples all come from held-out families is disabled, whatever its tier: a
 *   generic text rule written from those messages alone is knowledge of them as much as a provider
 *   rule is (keeping it would score the fold with what was read in it); so is every rule naming
 *   only held-out families;
 * - rules with a sample from a family on the other side of the fold, or from outside the corpus
 *   (a provider's published page, the RFC wording of a code), stay.
 */

/** Corpus file prefix (Sisimai's module) → family group. Related modules of one vendor share a group. */
const GROUP_OF: Record<string, string> = {
  arf: 'arf',
  'is-not-bounce': 'not-bounce',
  rfc3464: 'rfc3464',
  rfc3834: 'rfc3834',
  'lhost-amazonses': 'amazon',
  'lhost-receivingses': 'amazon',
  'lhost-amazonworkmail': 'amazon',
  'lhost-apachejames': 'james',
  'lhost-domino': 'domino',
  'lhost-notes': 'domino',
  'lhost-einsundeins': 'gmx',
  'lhost-gmx': 'gmx',
  'lhost-exchange2003': 'microsoft',
  'lhost-exchange2007': 'microsoft',
  'lhost-office365': 'microsoft',
  'lhost-outlook': 'microsoft',
  'rhost-microsoft': 'microsoft',
  'rhost-outlook': 'microsoft',
  'lhost-ezweb': 'au',
  'rhost-nttdocomo': 'docomo',
  'lhost-gmail': 'google',
  'lhost-googlegroups': 'google',
  'lhost-googleworkspace': 'google',
  'rhost-google': 'google',
  'lhost-imailserver': 'imail',
  'lhost-interscanmss': 'interscan',
  'lhost-messagingserver': 'sun-messaging',
  'lhost-sendmail': 'sendmail',
  'lhost-v5sendmail': 'sendmail',
  'lhost-yahoo': 'yahoo',
  'rhost-aol': 'yahoo',
  'rhost-franceptt': 'orange',
};

/** The family group of a corpus file (`emails/lhost-postfix-12.eml` → `postfix`). */
export function groupOf(file: string): string {
  const prefix = file
    .replace(/^.*\//, '')
    .replace(/\.eml$/, '')
    .replace(/-\d+$/, '');
  return GROUP_OF[prefix] ?? prefix.replace(/^[lr]host-/, '');
}

/**
 * Groups dealt into `k` folds, largest first, each to the fold with the fewest messages so far
 * (ties by name): deterministic, and every family is in exactly one fold.
 */
export function foldsOf(sizes: ReadonlyMap<string, number>, k: number): string[][] {
  const folds = Array.from({ length: k }, () => ({ groups: [] as string[], size: 0 }));
  const order = [...sizes].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  for (const [group, size] of order) {
    const fold = folds.reduce((min, f) => (f.size < min.size ? f : min));
    fold.groups.push(group);
    fold.size += size;
  }
  return folds.map((f) => f.groups.sort());
}

/** The families that may be recognised when `heldOut` groups are scored. */
export function knownWithout(heldOut: ReadonlySet<string>): Set<string> {
  return new Set([...FAMILY_IDS].filter((id) => !heldOut.has(id)));
}

const FAMILY_FIELDS = new Set(['reporter', 'provider']);

function namesOnlyHeldOut(rule: Rule, heldOut: ReadonlySet<string>): boolean {
  return rule.conditions.some(
    (c) =>
      !c.negate &&
      FAMILY_FIELDS.has(c.field) &&
      c.source
        .split(/\s+/)[1]!
        .split(',')
        .every((id) => heldOut.has(id)),
  );
}

function learnedFromHeldOut(rule: Rule, heldOut: ReadonlySet<string>): boolean {
  return rule.examples.length > 0 && rule.examples.every((e) => e.from !== undefined && heldOut.has(e.from));
}

/** The rules available when `heldOut` groups are scored. */
export function rulesWithout(rules: RuleSet, heldOut: ReadonlySet<string>): RuleSet {
  return { ...rules, rules: rules.rules.filter((rule) => !namesOnlyHeldOut(rule, heldOut) && !learnedFromHeldOut(rule, heldOut)) };
}

/** Every `from=` of the rules' examples must name a corpus group, or the protocol is silently weaker. */
export function unknownSampleFamilies(rules: RuleSet, groups: ReadonlySet<string>): string[] {
  return [
    ...new Set(rules.rules.flatMap((r) => r.examples.flatMap((e) => (e.from !== undefined && !groups.has(e.from) ? [`${e.from} (line ${e.line})`] : [])))),
  ];
}
