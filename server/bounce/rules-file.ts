import { FAILURE_REASONS, FAILURE_TYPES, type FailureReason, type FailureType } from '../shared/glossary.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { FAMILY_IDS, FAMILY_ROLES } from './families.js';
import { BOUNCE_KINDS, type ClassifyInput } from './types.js';

/**
 * The qualification rules file (config/bounce-rules.conf): one rule per line,
 *
 *   <id>  <type>  <reason>  <condition>…  [denylist] [unqualified]
 *
 * conditions (all must hold; `!` in front negates one):
 *   status 5.1.1,5.1.x   RFC 3463 code; `x` stands for any number
 *   code 550,55x         SMTP reply code
 *   text /regex/         diagnostic text, case-insensitive
 *   kind arf,autoreply   command RCPT,DATA   action delivered,relayed
 *   reporter exim,qmail  the family that wrote the report (families.ts)
 *   role gateway         that family's role (mta, mailbox, esp, gateway, carrier)
 *   provider google      the provider whose server gave the reply (families.ts)
 *   normalized "550 * user unknown"   the text normalized as bounce texts are (normalize-text.ts),
 *                        exactly: what an operator's qualification of one bounce text becomes
 *
 * `define <name> /regex/` names a pattern that rules then use as `text $name`.
 *
 * `tier <name>` lines split the file into tiers, in this order, most specific first:
 *   message (kind, action: not a failure report), operator (an operator's qualification of one
 *   exact text, kept in the database, see withOperatorRules), provider (a provider's or reporting
 *   family's own codes and wording), status (an RFC 3463 enhanced status code), code (an SMTP
 *   reply code), text (generic wording), fallback (a status class, whatever the text says).
 * Each rule must test its tier's fact; a file without tier lines is one tier of its own.
 *
 * Each rule sits under `# example:` comment lines holding real replies it must match; an example
 * may state facts the text does not carry: `# example [kind=arf command=DATA]: text`, and where
 * it was taken from: `from=<family>` (the family of the message it comes from, which the accuracy
 * benchmark's cross-validation uses to keep a family's own samples away from its test fold).
 * Pure: the caller reads the file.
 */

export const CONDITION_FIELDS = ['status', 'code', 'text', 'kind', 'action', 'command', 'reporter', 'role', 'provider', 'normalized'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export interface Condition {
  field: ConditionField;
  negate: boolean;
  /** As written in the file, for explanations. */
  source: string;
  test(value: string | undefined): boolean;
}

export interface RuleExample {
  line: number;
  input: ClassifyInput;
  /** The family of the message the example was taken from, when stated. */
  from?: string;
}

/** Tiers in file order, most specific first; each names the fact its rules must test. */
export const RULE_TIERS = ['message', 'operator', 'provider', 'status', 'code', 'text', 'fallback'] as const;
export type RuleTier = (typeof RULE_TIERS)[number];
const TIER_FIELDS: Record<RuleTier, readonly ConditionField[]> = {
  message: ['kind', 'action', 'status'],
  operator: ['normalized'],
  provider: ['reporter', 'role', 'provider'],
  status: ['status'],
  code: ['code'],
  text: ['text'],
  fallback: CONDITION_FIELDS,
};

export interface Rule {
  id: string;
  type: FailureType;
  reason: FailureReason;
  conditions: Condition[];
  denylist: boolean;
  unqualified: boolean;
  line: number;
  examples: RuleExample[];
  /** The tier the rule is in, when the file has tiers. */
  tier?: RuleTier;
}

export interface RuleSet {
  file: string;
  rules: Rule[];
}

const FLAGS = new Set(['denylist', 'unqualified']);

function invalid(file: string, line: number, reason: string): HeraldError {
  return new HeraldError('BOUNCE_RULES_INVALID', `${file}:${line}: ${reason}`, { exitCode: EXIT.CONFIG });
}

/** `5.1.x,5.2.2` → a full-match test; `x` is any number. */
function codePattern(list: string): RegExp {
  const alternatives = list.split(',').map((p) =>
    p
      .trim()
      .split('.')
      .map((part) => (part.toLowerCase() === 'x' ? '\\d+' : part.replace(/x/gi, '\\d')))
      .join('\\.'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
}

type Defines = Map<string, string>;

function condition(field: ConditionField, negate: boolean, written: string, defines: Defines, fail: (reason: string) => HeraldError): Condition {
  let match: (value: string) => boolean;
  const arg = written.startsWith('$') ? defines.get(written.slice(1)) : written;
  if (arg === undefined) throw fail(`unknown pattern name "${written}" (define it above: define <name> /regex/)`);
  if (field === 'normalized') {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(arg);
    if (!m) throw fail(`a normalized text reads "text" (double quotes; \\" and \\\\ inside), got ${arg}`);
    const wanted = m[1]!.replace(/\\(.)/g, '$1');
    match = (v) => v === wanted;
  } else if (field === 'text') {
    const m = /^\/(.*)\/([su]*)$/.exec(arg);
    if (!m) throw fail(`a text pattern reads /regex/, got "${arg}"`);
    let re: RegExp;
    try {
      re = new RegExp(m[1]!, `i${m[2]}`);
    } catch (err) {
      throw fail(`bad regex: ${(err as Error).message}`);
    }
    match = (v) => re.test(v);
  } else if (field === 'status' || field === 'code') {
    if (!/^[0-9x.,]+$/i.test(arg)) throw fail(`bad ${field} pattern "${arg}" (digits and x, e.g. 5.1.x or 55x)`);
    const re = codePattern(arg);
    match = (v) => re.test(v);
  } else {
    const values = new Set(arg.toLowerCase().split(','));
    if (field === 'kind' && [...values].some((v) => !(BOUNCE_KINDS as readonly string[]).includes(v)))
      throw fail(`kind must be among ${BOUNCE_KINDS.join(', ')}`);
    const unknown = [...values].find((v) =>
      field === 'reporter' || field === 'provider' ? !FAMILY_IDS.has(v) : field === 'role' && !(FAMILY_ROLES as readonly string[]).includes(v),
    );
    if (unknown !== undefined) throw fail(`unknown ${field === 'role' ? 'role' : 'family'} "${unknown}" (see server/bounce/families.ts)`);
    match = (v) => values.has(v.toLowerCase());
  }
  return { field, negate, source: `${negate ? '!' : ''}${field} ${written}`, test: (v) => (v === undefined || v === '' ? false : match(v)) !== negate };
}

/** Splits a rule line into words, keeping `/regex with spaces/` whole. */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (/\s/.test(line[i]!)) {
      i++;
      continue;
    }
    let j = i;
    if (line[i] === '/') {
      j++;
      while (j < line.length && !(line[j] === '/' && line[j - 1] !== '\\')) j++;
      j++;
      while (j < line.length && /[a-z]/.test(line[j]!)) j++;
    } else if (line[i] === '"') {
      j++;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      j++;
    } else while (j < line.length && !/\s/.test(line[j]!)) j++;
    out.push(line.slice(i, j));
    i = j;
  }
  return out;
}

function parseExample(body: string, line: number, file: string): RuleExample {
  const m = /^example(?:\s*\[([^\]]*)\])?\s*:\s?(.*)$/.exec(body);
  if (!m) throw invalid(file, line, 'an example reads `# example: <reply>` or `# example [kind=arf]: <reply>`');
  const input: ClassifyInput = { text: m[2]!.trim() };
  let from: string | undefined;
  for (const pair of (m[1] ?? '').split(/\s+/).filter(Boolean)) {
    const [key, value = ''] = pair.split('=');
    if (key === 'from' && /^[a-z0-9][a-z0-9-]*$/.test(value)) from = value;
    else if (key === 'status' || key === 'action' || key === 'command' || key === 'reporter' || key === 'role' || key === 'provider') input[key] = value;
    else if (key === 'code') input.smtpCode = Number(value);
    else if (key === 'kind' && (BOUNCE_KINDS as readonly string[]).includes(value)) input.kind = value as ClassifyInput['kind'];
    else throw invalid(file, line, `unknown example fact "${pair}"`);
  }
  return from ? { line, input, from } : { line, input };
}

function parseRule(text: string, line: number, file: string, examples: RuleExample[], defines: Defines, tier: RuleTier | undefined): Rule {
  const [id, type, reason, ...rest] = words(text);
  if (!id || !/^[a-z0-9][a-z0-9_.-]{0,99}$/.test(id)) throw invalid(file, line, `bad rule id "${id ?? ''}" (a-z, 0-9, . _ -)`);
  if (!(FAILURE_TYPES as readonly string[]).includes(type ?? '')) throw invalid(file, line, `type must be one of ${FAILURE_TYPES.join(', ')}`);
  if (!(FAILURE_REASONS as readonly string[]).includes(reason ?? '')) throw invalid(file, line, `unknown reason "${reason ?? ''}"`);
  const rule: Rule = { id, type: type as FailureType, reason: reason as FailureReason, conditions: [], denylist: false, unqualified: false, line, examples };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (FLAGS.has(word)) {
      if (word === 'denylist') rule.denylist = true;
      else rule.unqualified = true;
      continue;
    }
    const field = word.replace(/^!/, '') as ConditionField;
    const arg = rest[++i];
    if (!(CONDITION_FIELDS as readonly string[]).includes(field) || arg === undefined)
      throw invalid(file, line, `expected a condition (${CONDITION_FIELDS.join(', ')}) or a flag, got "${word}"`);
    rule.conditions.push(condition(field, word.startsWith('!'), arg, defines, (reason) => invalid(file, line, reason)));
  }
  if (tier) {
    const fields = TIER_FIELDS[tier];
    if (!rule.conditions.some((c) => !c.negate && fields.includes(c.field)))
      throw invalid(file, line, `a rule in tier ${tier} tests ${fields.join(' or ')} (or belongs in another tier)`);
    rule.tier = tier;
  }
  return rule;
}

/** Parses the rules file text; throws BOUNCE_RULES_INVALID naming the file and line. */
export function parseRules(text: string, file = 'bounce-rules.conf'): RuleSet {
  const rules: Rule[] = [];
  const defines: Defines = new Map();
  let examples: RuleExample[] = [];
  let tier: RuleTier | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return void (examples = []);
    if (trimmed.startsWith('#')) {
      const body = trimmed.replace(/^#+\s*/, '');
      if (/^example\b/i.test(body)) examples.push(parseExample(body, line, file));
      return;
    }
    const define = /^define\s+([a-z][a-z0-9_]*)\s+(\/.*\/[su]*)$/.exec(trimmed);
    if (define) {
      condition('text', false, define[2]!, defines, (reason) => invalid(file, line, reason));
      defines.set(define[1]!, define[2]!);
      return;
    }
    const tierLine = /^tier\s+(\S+)$/.exec(trimmed);
    if (tierLine) {
      const next = tierLine[1] as RuleTier;
      if (!RULE_TIERS.includes(next)) throw invalid(file, line, `unknown tier "${next}" (${RULE_TIERS.join(', ')})`);
      if (tier && RULE_TIERS.indexOf(next) <= RULE_TIERS.indexOf(tier))
        throw invalid(file, line, `tier ${next} comes after tier ${tier}: tiers go ${RULE_TIERS.join(', ')}, most specific first`);
      if (!tier && rules.length > 0) throw invalid(file, line, 'rules before the first tier line: put every rule in a tier');
      tier = next;
      examples = [];
      return;
    }
    const rule = parseRule(trimmed, line, file, examples, defines, tier);
    if (rules.some((r) => r.id === rule.id)) throw invalid(file, line, `duplicate rule id "${rule.id}"`);
    rules.push(rule);
    examples = [];
  });
  return { file, rules };
}

/**
 * The file's rules with the operators' qualifications (rules of tier `operator`, each matching one
 * exact normalized text) placed after the file's message tier: an operator's word on one text is
 * more specific than any provider or generic rule. A file without tiers gets them first.
 */
export function withOperatorRules(file: RuleSet, operator: RuleSet): RuleSet {
  if (operator.rules.length === 0) return file;
  const ids = new Set(file.rules.map((r) => r.id));
  const clash = operator.rules.find((r) => ids.has(r.id));
  if (clash) throw invalid(operator.file, clash.line, `rule id "${clash.id}" is also in ${file.file}`);
  const stray = operator.rules.find((r) => r.tier !== 'operator');
  if (stray) throw invalid(operator.file, stray.line, 'operator rules belong to tier operator');
  const at = file.rules.findIndex((r) => r.tier !== undefined && r.tier !== 'message');
  const cut = at < 0 ? (file.rules.some((r) => r.tier === 'message') ? file.rules.length : 0) : at;
  return { file: file.file, rules: [...file.rules.slice(0, cut), ...operator.rules, ...file.rules.slice(cut)] };
}

/** Parses the rules file and the operator rules (both texts) into one rule set. */
export function combineRules(text: string, file: string, operatorText = ''): RuleSet {
  const rules = parseRules(text, file);
  return operatorText.trim() ? withOperatorRules(rules, parseRules(operatorText, 'operator rules')) : rules;
}
