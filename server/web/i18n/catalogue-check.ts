import { placeholdersOf, type Catalogue } from './translate.js';

/**
 * What is wrong with a translation against English, one line per problem: a key English has and
 * the translation lacks, a key English does not have, an empty text, or placeholders that differ
 * (a missing `{count}` loses a figure; an unknown one shows up as written). Pure.
 */
export function catalogueProblems(english: Catalogue, translation: Catalogue): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(english)) if (!(key in translation)) problems.push(`missing ${key}`);
  for (const [key, text] of Object.entries(translation)) {
    if (!(key in english)) {
      problems.push(`extra ${key}`);
      continue;
    }
    if (text.trim() === '') problems.push(`empty ${key}`);
    const want = placeholdersOf(english[key]!).join(', ');
    const got = placeholdersOf(text).join(', ');
    if (want !== got) problems.push(`placeholders of ${key}: {${got}} instead of {${want}}`);
  }
  return problems;
}
