import { addressProblem, normalizeAddress } from '../../shared/email-address.js';
import { invalid } from '../route.js';
import type { Schema } from '../schema.js';

/** Schemas and readers shared by the API routes. */

export const id: Schema = { type: 'integer', minimum: 1, maximum: 2 ** 53 - 1 };
export const idParam = { id };
export const text = (maxLength: number, nullable = false): Schema => ({ type: 'string', maxLength, ...(nullable ? { nullable: true as const } : {}) });
export const flag: Schema = { type: 'boolean' };
export const dateTime = (nullable = true): Schema => ({ type: 'string', format: 'date-time', ...(nullable ? { nullable: true as const } : {}) });
export const page = { after: { type: 'integer', minimum: 0 } as Schema, limit: { type: 'integer', minimum: 1, maximum: 1000 } as Schema };
export const anyObject: Schema = { type: 'object', additionalProperties: true };

export const errorSchema: Schema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'a stable UPPER_SNAKE code' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        reference: { type: 'string', description: 'unexpected errors only: quote it to the administrator' },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** An address in lower case, or a 400 naming the field. */
export function emailOf(value: string, path = 'email'): string {
  const email = normalizeAddress(value);
  const problem = addressProblem(email);
  if (problem) throw invalid([{ path, message: problem }]);
  return email;
}

/** A positive id, or the name to look up, from a path parameter that takes either. */
export const idOrName = (value: string | number): number | string => (typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : value);
