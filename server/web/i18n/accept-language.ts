/**
 * The language to answer in from an HTTP Accept-Language header (RFC 9110 §12.5.4): ranges by
 * decreasing q-value (1 when absent, ties in the order written), `q=0` meaning "not this one", a
 * region (`es-MX`) matching its language (`es`) when the language itself is registered, `*` any
 * language. Pure; unknown or malformed parts are skipped; no match: undefined.
 */
export function negotiateLanguage(header: string | undefined, available: readonly string[]): string | undefined {
  if (!header) return undefined;
  const ranges = header
    .slice(0, 1000)
    .split(',')
    .slice(0, 50)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      let q = 1;
      for (const param of params) {
        const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
        if (m) q = Math.min(1, Number(m[1]));
        else if (/^\s*q\s*=/i.test(param)) q = -1;
      }
      return { range: range.trim().toLowerCase(), q, index };
    })
    .filter((r) => r.range !== '' && r.q >= 0 && /^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(r.range));
  const refused = new Set(ranges.filter((r) => r.q === 0).map((r) => r.range));
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range, q } of ranges) {
    if (q === 0) continue;
    if (range === '*') return available.find((l) => !refused.has(l));
    const language = range.split('-')[0]!;
    if (available.includes(language) && !refused.has(language)) return language;
  }
  return undefined;
}
