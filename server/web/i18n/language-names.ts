import { LANGUAGES } from '../../shared/glossary.js';
import { registeredLanguages } from './translate.js';

/**
 * A language as its own speakers write it (English, español, français, Deutsch), from `Intl`: a
 * language list reads the same whatever the console's language, so anyone finds their own.
 */
export function languageName(code: string): string {
  const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}

/** The languages a recipient can be given: every language Herald speaks, registered or not yet. */
export function recipientLanguageChoices(): Array<{ code: string; name: string }> {
  return LANGUAGES.map((code) => ({ code, name: languageName(code) }));
}

/** The languages an operator or recipient can be given: the registered catalogues. */
export function languageChoices(): Array<{ code: string; name: string }> {
  return registeredLanguages().map((code) => ({ code, name: languageName(code) }));
}
