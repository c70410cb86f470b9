/**
 * Shields a template's Eta tags (`<% … %>`) from a tool that parses the markup around them (the
 * MJML compiler, the HTML-to-text converter): each tag becomes a placeholder made of Herald's
 * reserved characters, the tool runs, and the tags are put back. The tags themselves are never
 * parsed or moved by the tool, so personalization, escaping and link tracking later see them exactly
 * as written.
 */

const TAG = /<%[\s\S]*?%>/g;
const OPEN = '\uE002';
const CLOSE = '\uE003';
const PLACEHOLDER = /\uE002(\d+)\uE003/g;

export interface Shielded {
  text: string;
  tags: string[];
  /** The line of the original source that holds a line of the shielded text (1-based both). */
  sourceLine(line: number): number;
}

export function shieldTags(source: string): Shielded {
  const tags: string[] = [];
  /** For each line of the shielded text, how many line breaks the tags before it took away. */
  const removedBefore: number[] = [0];
  let removed = 0;
  let text = '';
  const addStatic = (s: string) => {
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) removedBefore.push(removed);
    text += s;
  };
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    addStatic(source.slice(last, m.index));
    text += `${OPEN}${tags.length}${CLOSE}`;
    tags.push(m[0]);
    removed += m[0].split('\n').length - 1;
    last = m.index + m[0].length;
  }
  addStatic(source.slice(last));
  return { text, tags, sourceLine: (line) => line + (removedBefore[Math.min(Math.max(line, 1), removedBefore.length) - 1] ?? 0) };
}

/** Puts the tags back; `missing` lists the tags the tool dropped (by index). */
export function restoreTags(text: string, tags: readonly string[]): { text: string; missing: number[] } {
  const seen = new Set<number>();
  const out = text.replace(PLACEHOLDER, (whole, n: string) => {
    const i = Number(n);
    const tag = tags[i];
    if (tag === undefined) return whole;
    seen.add(i);
    return tag;
  });
  return { text: out, missing: tags.map((_, i) => i).filter((i) => !seen.has(i)) };
}

/** The line (1-based) of the source where tag `index` of a shielded text starts. */
export function lineOfTag(shielded: Shielded, index: number): number {
  const at = shielded.text.indexOf(`${OPEN}${index}${CLOSE}`);
  return shielded.sourceLine(shielded.text.slice(0, Math.max(0, at)).split('\n').length);
}
