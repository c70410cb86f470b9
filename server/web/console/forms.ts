/**
 * Reading submitted forms: every value is a trimmed string of bounded length whatever the client
 * sent (repeated fields, nested keys), so routes never handle raw body shapes.
 */
export type FormBody = Record<string, unknown>;

export function bodyOf(request: object): FormBody {
  const body = (request as { body?: unknown }).body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as FormBody) : {};
}

export function text(body: FormBody, name: string, max = 255): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim().slice(0, max) : '';
}

/** Like text(), but keeps surrounding spaces (passwords). */
export function raw(body: FormBody, name: string, max = 1024): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

export function checked(body: FormBody, name: string): boolean {
  const value = text(body, name, 10);
  return value === 'on' || value === '1' || value === 'true';
}

export function many(body: FormBody, name: string, max = 50): string[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .filter((v): v is string => typeof v === 'string')
    .slice(0, max)
    .map((v) => v.trim().slice(0, 255));
}

/** A positive integer id from a route parameter or a field, or undefined. */
export function id(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

/** Field name → message key of what is wrong with it. */
export type FieldErrors = Record<string, string>;
