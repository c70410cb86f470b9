import type { FailureReason, FailureType } from '../shared/glossary.js';
import { compactText } from './smtp-reply.js';

/**
 * Operators' qualifications as rules: each one matches one normalized bounce text exactly and
 * carries the text it was qualified from as its example, in the rules file's own format (tier
 * operator), so they are parsed, explained and tested like the shipped rules. Pure.
 */

export interface OperatorRule {
  /** The rule id (`qualified.<n>`, given by the database). */
  id: string;
  type: FailureType;
  reason: FailureReason;
  /** The normalized text (normalize-text.ts) the rule matches. */
  normalized: string;
  /** A real text that normalizes to it. */
  sample: string;
  by: string | null;
  at: Date;
}

const quoted = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The operator rules as rules-file text (empty when there are none). */
export function renderOperatorRules(rules: readonly OperatorRule[]): string {
  if (rules.length === 0) return '';
  const lines = ['tier operator', ''];
  for (const r of rules) {
    lines.push(`# qualified by ${r.by ?? 'an operator'} on ${r.at.toISOString().slice(0, 10)}`);
    lines.push(`# example: ${compactText(r.sample)}`);
    lines.push(`${r.id} ${r.type} ${r.reason} normalized ${quoted(compactText(r.normalized, 1000))}`);
    lines.push('');
  }
  return lines.join('\n');
}
