import type { Context } from 'koa';

/**
 * Request bodies of the public routes: read whole up to a small limit (413 beyond), then decoded as
 * a form. The RFC 8058 one-click body is recognised in both encodings mailbox providers use
 * (application/x-www-form-urlencoded and multipart/form-data).
 */

export async function readBody(ctx: Context, limitBytes: number): Promise<string> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) ctx.throw(413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) ctx.throw(413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A urlencoded form as fields (a repeated field becomes a list); anything else gives no fields. */
export function formFields(ctx: Context, raw: string): Record<string, string | string[]> {
  if (!ctx.is('application/x-www-form-urlencoded')) return {};
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(raw)) {
    const current = out[k];
    out[k] = current === undefined ? v : Array.isArray(current) ? [...current, v] : [current, v];
  }
  return out;
}

/** `List-Unsubscribe=One-Click`, urlencoded or as a multipart field. */
export function isOneClick(ctx: Context, raw: string): boolean {
  if (ctx.is('multipart/form-data')) return /name="List-Unsubscribe"\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(raw);
  return new URLSearchParams(raw.trim()).get('List-Unsubscribe') === 'One-Click';
}

/** Reads a form POST into ctx.request.body (what the form guard and the routes read). */
export async function readForm(ctx: Context, limitBytes: number): Promise<string> {
  const raw = ctx.method === 'POST' ? await readBody(ctx, limitBytes) : '';
  (ctx.request as { body?: unknown }).body = formFields(ctx, raw);
  return raw;
}
