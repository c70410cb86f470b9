import { normalizeBounceText } from './normalize-text.js';
import type { Condition, Rule, RuleSet } from './rules-file.js';
import { compactText, findCommand, findReplyCode, findStatus } from './smtp-reply.js';
import type { Classification, ClassifyInput } from './types.js';

/**
 * Qualification: the first rule whose conditions all hold gives the failure type and reason.
 * When none does, the failure is soft / not_defined and its text is kept "to qualify" (Adobe's
 * default for unknown texts). Pure: the rules are passed in.
 */

/** What rules test: the input completed from its own text (a reply carries its codes). */
export interface Facts {
  text: string;
  status?: string;
  code?: string;
  kind?: string;
  action?: string;
  command?: string;
  reporter?: string;
  role?: string;
  provider?: string;
  /** The text normalized as bounce texts are, computed when a rule asks for it. */
  normalized?: string;
}

export const DEFAULT_CLASSIFICATION: Classification = { type: 'soft', reason: 'not_defined', rule: 'default', qualified: false };

export function factsOf(input: ClassifyInput): Facts {
  const text = compactText(input.text ?? '');
  const facts: Facts = { text };
  const status = input.status || findStatus(text);
  if (status) facts.status = status;
  const code = input.smtpCode ?? findReplyCode(text);
  if (code) facts.code = String(code);
  if (input.kind) facts.kind = input.kind;
  if (input.action) facts.action = input.action.toLowerCase();
  const command = input.command || findCommand(text);
  if (command) facts.command = command.toUpperCase();
  if (input.reporter) facts.reporter = input.reporter;
  if (input.role) facts.role = input.role;
  if (input.provider) facts.provider = input.provider;
  return facts;
}

function holds(condition: Condition, facts: Facts): boolean {
  if (condition.field === 'normalized') return condition.test((facts.normalized ??= normalizeBounceText(facts.text)));
  return condition.test(facts[condition.field]);
}

function classificationOf(rule: Rule): Classification {
  const result: Classification = { type: rule.type, reason: rule.reason, rule: rule.id, qualified: !rule.unqualified };
  if (rule.denylist) result.denylist = true;
  return result;
}

export function classify(input: ClassifyInput, rules: RuleSet): Classification {
  const facts = factsOf(input);
  const rule = rules.rules.find((r) => r.conditions.every((c) => holds(c, facts)));
  return rule ? classificationOf(rule) : DEFAULT_CLASSIFICATION;
}

export interface Explanation {
  facts: Facts;
  result: Classification;
  /** The matching rule's line and conditions, or why the rules before it did not match (first failing condition). */
  matched?: { line: number; conditions: string[]; tier?: string };
  skipped: Array<{ rule: string; line: number; failed: string }>;
}

/** Like classify(), with the reasoning: every rule tried before the match and the condition that failed. */
export function explain(input: ClassifyInput, rules: RuleSet): Explanation {
  const facts = factsOf(input);
  const skipped: Explanation['skipped'] = [];
  for (const rule of rules.rules) {
    const failed = rule.conditions.find((c) => !holds(c, facts));
    if (!failed) {
      const matched = { line: rule.line, conditions: rule.conditions.map((c) => c.source), ...(rule.tier ? { tier: rule.tier } : {}) };
      return { facts, result: classificationOf(rule), matched, skipped };
    }
    skipped.push({ rule: rule.id, line: rule.line, failed: failed.source });
  }
  return { facts, result: DEFAULT_CLASSIFICATION, skipped };
}
