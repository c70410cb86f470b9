/**
 * What no request input may hold, whatever route it reaches, pure: a NUL character (SQLite ends
 * SQL text at it, so it would surface as a database error, and no field of Herald has a use for
 * it), or values nested deeper than a bound (every walker of a value, JSON.stringify included,
 * recurses: thousands of levels overflow the stack). Checked at the edges (console forms and
 * queries, REST API paths, queries and bodies) so no handler sees such input.
 */

export const MAX_INPUT_DEPTH = 32;

export interface InputProblem {
  /** Where: `query.q`, `body.fields.city`, `path.email`. */
  path: string;
  reason: 'nul' | 'depth';
  message: string;
}

/** The first problem of a request value (walked iteratively: its depth cannot overflow the stack), or undefined. */
export function inputProblem(value: unknown, where: string, maxDepth = MAX_INPUT_DEPTH): InputProblem | undefined {
  const stack: Array<[unknown, string, number]> = [[value, where, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path, reason: 'nul', message: `${path} holds a NUL character` };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return { path, reason: 'depth', message: `${where} is nested deeper than ${maxDepth} levels` };
    for (const [key, child] of Object.entries(v)) {
      const at = Array.isArray(v) ? `${path}[${key}]` : `${path}.${key}`;
      if (key.includes('\u0000')) return { path: at, reason: 'nul', message: `a name in ${path} holds a NUL character` };
      stack.push([child, at, depth + 1]);
    }
  }
  return undefined;
}
