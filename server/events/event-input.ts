import { createHash } from 'node:crypto';
import { addressProblem } from '../shared/email-address.js';
import type { EmailFormat } from '../shared/glossary.js';

/**
 * What an event is made of, and the checks an incoming one must pass before it is stored: a type
 * name, a valid address, a context object within its size and depth limits, an optional
 * idempotency key. Pure.
 */

export const EVENT_TYPE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Types Herald sends itself (subscription confirmations); callers cannot post them. */
export const RESERVED_TYPE_PREFIX = 'herald-';
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;
const MAX_DEPTH = 8;

export interface EventRequest {
  type: string;
  email: string;
  ctx: Record<string, unknown>;
  emailFormat: EmailFormat;
  idempotencyKey?: string;
}

export interface Problem {
  path: string;
  message: string;
}

/** Whether a value nests objects or arrays more than `max` levels deep (walked iteratively: any depth is safe to check). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Problems of an event request (the shape was checked by the API schema already). */
export function eventProblems(e: EventRequest, limits: { ctxMaxBytes: number }): Problem[] {
  const problems: Problem[] = [];
  if (!EVENT_TYPE_PATTERN.test(e.type))
    problems.push({ path: 'type', message: 'a type is 1–64 characters: a-z, 0-9, ".", "_" or "-", starting with a letter or digit' });
  else if (e.type.startsWith(RESERVED_TYPE_PREFIX)) problems.push({ path: 'type', message: `types starting with "${RESERVED_TYPE_PREFIX}" are Herald's own` });
  const address = addressProblem(e.email);
  if (address) problems.push({ path: 'email', message: address });
  // Depth first: measuring the size serializes the context, which a deep enough one would overflow.
  if (deeperThan(e.ctx, MAX_DEPTH)) problems.push({ path: 'ctx', message: `the context is nested deeper than ${MAX_DEPTH} levels` });
  else if (Buffer.byteLength(JSON.stringify(e.ctx)) > limits.ctxMaxBytes)
    problems.push({ path: 'ctx', message: `the context is larger than ${limits.ctxMaxBytes} bytes` });
  if (e.idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(e.idempotencyKey))
    problems.push({ path: 'idempotencyKey', message: 'an idempotency key is 1–100 printable ASCII characters' });
  return problems;
}

/** JSON with object keys sorted, so two equal requests hash the same whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What identifies a request for its idempotency key: a retry must carry the same event. */
export function requestHash(e: Pick<EventRequest, 'type' | 'email' | 'ctx' | 'emailFormat'>): string {
  return createHash('sha256')
    .update(canonical({ type: e.type, email: e.email, ctx: e.ctx, emailFormat: e.emailFormat }))
    .digest('hex');
}
