import { inputProblem } from '../../shared/input-guard.js';

/**
 * Keyset page cursors in URLs: a small JSON value, base64url-encoded. A cursor that does not decode
 * to the expected shape (or holds a NUL) is ignored (the first page is shown), never an error.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(text: unknown, valid: (value: unknown) => value is T): T | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 1200) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // A cursor is ours, but it comes back from the client: one holding a NUL never reaches a query.
    return valid(value) && !inputProblem(value, 'cursor') ? value : undefined;
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
