import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from '../db/connect.js';
import { operatorRules, operatorRulesVersion } from '../db/repos/bounce-rules.js';
import { fromRoot } from '../shared/app-root.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { renderOperatorRules } from './operator-rules.js';
import { combineRules, type RuleSet } from './rules-file.js';

/**
 * The rules a module classifies with: the rules file plus the operators' qualifications kept in
 * the database, combined (rules-file.ts withOperatorRules). The MTA and inMail keep one each and
 * refresh it when an operator qualifies a text (checked every few seconds) or the file is
 * reloaded. A combination with an error is refused and the current rules stay.
 */
export class RuleBook {
  private version = '';

  private constructor(
    private readonly db: Database,
    private path: string,
    private fileText: string,
    private operatorText: string,
    private current: RuleSet,
  ) {}

  static async open(db: Database, rulesFile: string): Promise<RuleBook> {
    const path = fromRoot(rulesFile);
    const fileText = readRulesFile(path);
    const book = new RuleBook(db, path, fileText, '', combineRules(fileText, basename(path)));
    await book.refresh();
    return book;
  }

  get rules(): RuleSet {
    return this.current;
  }

  /** The texts a parser thread combines itself (parse-worker.ts). */
  texts(): { text: string; file: string; operatorText: string } {
    return { text: this.fileText, file: basename(this.path), operatorText: this.operatorText };
  }

  /**
   * Re-reads the rules file, or reads the one a new config names (throws BOUNCE_RULES_INVALID or
   * _MISSING and keeps the current rules and file).
   */
  reloadFile(rulesFile?: string): RuleSet {
    const path = rulesFile === undefined ? this.path : fromRoot(rulesFile);
    const text = readRulesFile(path);
    this.current = combineRules(text, basename(path), this.operatorText);
    this.fileText = text;
    this.path = path;
    return this.current;
  }

  /** Reloads the operator rules when they changed; true when they did. */
  async refresh(): Promise<boolean> {
    const version = await operatorRulesVersion(this.db);
    if (version === this.version) return false;
    const text = renderOperatorRules(await operatorRules(this.db));
    this.current = combineRules(this.fileText, basename(this.path), text);
    this.operatorText = text;
    this.version = version;
    return true;
  }
}

function readRulesFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new HeraldError('BOUNCE_RULES_MISSING', `cannot read the bounce rules file ${basename(path)}`, { exitCode: EXIT.CONFIG });
  }
}
