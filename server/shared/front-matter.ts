/**
 * The data files of Herald's gallery and default content blocks (config/gallery/, config/blocks/)
 * open with a comment of `key: value` lines (label, description, subject, format) followed by the
 * content itself.
 */
export interface FrontMatter {
  meta: Readonly<Record<string, string>>;
  body: string;
}

export function readFrontMatter(file: string): FrontMatter {
  const m = /^\s*<!--\r?\n([\s\S]*?)\r?\n-->\r?\n/.exec(file);
  if (!m) return { meta: {}, body: file };
  const meta: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) meta[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { meta, body: file.slice(m[0].length) };
}
