import type { Catalogues, Params, Translate } from '../../shared/i18n/catalogue.js';
import { fill } from '../../shared/i18n/catalogue.js';
import type { Issue } from '../template/plan.js';
import { ISSUES_DE } from './de.js';
import { ISSUE_MESSAGES, type IssueKey } from './en.js';
import { ISSUES_ES } from './es.js';
import { ISSUES_FR } from './fr.js';

/** The shipped analysis messages by language (the web module adds them to its catalogues). */
export const ISSUE_CATALOGUES: Catalogues = { en: ISSUE_MESSAGES, es: ISSUES_ES, fr: ISSUES_FR, de: ISSUES_DE };

/**
 * The values a sentence is filled with: a value named `<name>Key` is itself a catalogue key, worded
 * in the reader's language and filled in as `{<name>}` (an address check's reason inside its rule's sentence).
 */
function wordedParams(params: Params | undefined, word: (key: string) => string): Params | undefined {
  if (!params) return params;
  const out: Params = { ...params };
  for (const [name, value] of Object.entries(params)) if (name.endsWith('Key') && typeof value === 'string') out[name.slice(0, -3)] = word(value);
  return out;
}

/** An issue worded by its key: the English sentence for the API and logs, the key and values for any reader. */
export function keyedIssue(rule: string, level: Issue['level'], key: IssueKey, params?: Params, where?: string): Issue {
  const sentence = fill(
    ISSUE_MESSAGES[key],
    wordedParams(params, (k) => (ISSUE_MESSAGES as Record<string, string>)[k] ?? k),
  );
  return {
    rule,
    level,
    message: where ? `${where}: ${sentence}` : sentence,
    key,
    ...(params ? { params } : {}),
    ...(where ? { where } : {}),
  };
}

/**
 * An issue in the reader's language: its key translated with its values; the stored English sentence
 * when it has no key (analysed before issues had keys, or a parser's own words) or a key no catalogue knows.
 */
export function issueText(issue: Pick<Issue, 'message' | 'key' | 'params' | 'where'>, t: Translate): string {
  if (!issue.key) return issue.message;
  const sentence = t(
    issue.key,
    wordedParams(issue.params, (k) => t(k)),
  );
  if (sentence === issue.key) return issue.message;
  return issue.where ? `${issue.where}: ${sentence}` : sentence;
}
