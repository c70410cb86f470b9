import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fromRoot } from '../shared/app-root.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { parseRules, type RuleSet } from './rules-file.js';

/** Reads and parses the rules file (`path` relative to the install root unless absolute). */
export function loadRules(path: string): RuleSet {
  const file = fromRoot(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new HeraldError('BOUNCE_RULES_MISSING', `cannot read the bounce rules file ${basename(file)}`, { exitCode: EXIT.CONFIG });
  }
  return parseRules(text, basename(file));
}
