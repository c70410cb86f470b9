import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from './app-root.js';

/**
 * What a password an operator chooses must not be, after NIST SP 800-63B §5.1.1.2: shorter than 12
 * characters (or absurdly long), a breached or commonly used password (the list shipped in
 * config/common-passwords.txt, see its .md), one of those with digits or symbols added around it or
 * written twice, one character or a short pattern repeated, an ascending or descending run, or
 * built on the login or the product's name. No composition rules (NIST advises against them).
 * Pure but for reading the list once.
 */

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'repetitive' | 'login' | 'context';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
  too_long: `a password may have at most ${MAX_PASSWORD_LENGTH} characters`,
  common: 'this password is one of the stolen or commonly used passwords that attackers try first (or one with a few characters added): choose another',
  repetitive: 'a password made of one character or a short pattern repeated, or of a run such as 1234… or abcd…, is guessed at once: choose another',
  login: 'a password must not contain the login',
  context: 'a password must not be built on the name of the product',
};

/** Words of this service an attacker tries first. */
const CONTEXT_WORDS = ['herald'];

let common: Set<string> | undefined;

/** The breached and common passwords, lower case (read once, about 49,000). */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(APP_ROOT, 'config', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  return common;
}

const normalize = (password: string) => password.normalize('NFKC').toLowerCase();
/** The password without the digits, symbols and spaces people add before or after a word. */
const core = (p: string) => p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

/** The shortest unit the text is a repetition of (the text itself when it is none). */
function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++)
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) return text.slice(0, size);
  return text;
}

/** Each character one above (or each one below) the one before it; digits wrap (…8901…). */
function isRun(text: string): boolean {
  const step = (a: string, b: string) => {
    if (/\d/.test(a) && /\d/.test(b)) return (((Number(b) - Number(a)) % 10) + 10) % 10 === 1 ? 1 : (((Number(a) - Number(b)) % 10) + 10) % 10 === 1 ? -1 : 0;
    return b.charCodeAt(0) - a.charCodeAt(0);
  };
  const first = step(text[0]!, text[1]!);
  if (first !== 1 && first !== -1) return false;
  for (let i = 2; i < text.length; i++) if (step(text[i - 1]!, text[i]!) !== first) return false;
  return true;
}

function isCommon(p: string, list: Set<string>): boolean {
  const trimmed = core(p);
  return list.has(p) || (trimmed.length >= 3 && list.has(trimmed));
}

/** The first rule a password breaks, with its message, or undefined when it may be used. */
export function passwordProblem(password: string, context: { login?: string } = {}): { code: PasswordProblem; message: string } | undefined {
  const code = problemCode(password, context.login);
  return code ? { code, message: MESSAGES[code] } : undefined;
}

function problemCode(password: string, login: string | undefined): PasswordProblem | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  const p = normalize(password);
  const list = commonPasswords();
  if (isCommon(p, list)) return 'common';
  const unit = repeatedUnit(p);
  if (unit !== p) return isCommon(unit, list) ? 'common' : 'repetitive';
  if (isRun(p)) return 'repetitive';
  const name = login ? normalize(login) : '';
  if (name.length >= 4 && p.includes(name)) return 'login';
  if (CONTEXT_WORDS.some((w) => p.includes(w))) return 'context';
  return undefined;
}
