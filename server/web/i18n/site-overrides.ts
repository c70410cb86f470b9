import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { instancePaths } from '../../shared/config/paths.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { ConfigError } from '../../shared/errors.js';
import { isLanguage } from '../../shared/glossary.js';
import { CATALOGUES, placeholdersOf, type Catalogue, type Catalogues } from './translate.js';

/**
 * The site's own wording: `<dataDir>/<languages.overridesDir>/<language>.toml` files whose keys
 * replace shipped texts of that language (`"nav.recipients" = "Contacts"`; dotted keys are quoted,
 * or written as TOML tables). Checked when the web module starts: an unknown file, an unknown key,
 * a value that is not text, or a placeholder the English text does not have stops it with an error
 * naming the file and the key.
 */

export function siteOverridesDir(config: HeraldConfig): string {
  return resolve(instancePaths(config).dataDir, config.languages.overridesDir);
}

/** The shipped catalogues with the site's overrides applied (the shipped ones when the folder is absent). */
export function loadCatalogues(config: HeraldConfig, shipped: Catalogues = CATALOGUES): Catalogues {
  const dir = siteOverridesDir(config);
  if (!existsSync(dir)) return shipped;
  const out: Record<string, Catalogue> = { ...shipped };
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.toml')) continue;
    const file = join(dir, name);
    const language = name.slice(0, -'.toml'.length);
    out[language] = applyOverrides(file, language, readOverrides(file), shipped);
  }
  return out as Catalogues;
}

function readOverrides(file: string): Record<string, unknown> {
  try {
    return flatten(parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ConfigError(file, '(file)', `not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `{ nav: { recipients: 'x' } }` and `{ 'nav.recipients': 'x' }` both give `nav.recipients`. */
function flatten(table: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const path = prefix + key;
    if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date))
      Object.assign(out, flatten(value as Record<string, unknown>, `${path}.`));
    else out[path] = value;
  }
  return out;
}

/** Pure: one language's catalogue with a file's overrides applied, or an error naming the file and key. */
export function applyOverrides(file: string, language: string, overrides: Record<string, unknown>, shipped: Catalogues): Catalogue {
  if (!isLanguage(language) || !shipped[language])
    throw new ConfigError(
      file,
      '(file name)',
      `"${language}" is not a language Herald ships (${Object.keys(shipped).join(', ')}); name the file <language>.toml`,
    );
  const english = shipped.en;
  const out: Record<string, string> = { ...shipped[language] };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in english)) throw new ConfigError(file, key, 'no such text in Herald (check the key against the shipped catalogue)');
    if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(file, key, 'expected a non-empty text in quotes');
    const allowed = placeholdersOf(english[key]!);
    const unknown = placeholdersOf(value).filter((p) => !allowed.includes(p));
    if (unknown.length > 0)
      throw new ConfigError(
        file,
        key,
        `uses {${unknown.join('}, {')}}, which this text cannot fill (it can use: ${allowed.length > 0 ? allowed.map((p) => `{${p}}`).join(', ') : 'none'})`,
      );
    out[key] = value;
  }
  return out;
}
