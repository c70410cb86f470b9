/**
 * The small subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that the REST API's bodies and
 * parameters are written in, and a validator for it. One description serves both: requests are
 * checked against the same schemas the OpenAPI document publishes. Pure.
 */

type Base = { description?: string; nullable?: true };

export type Schema = Base &
  (
    | { type: 'object'; properties?: Record<string, Schema>; required?: readonly string[]; additionalProperties?: boolean | Schema; maxProperties?: number }
    | { type: 'array'; items: Schema; minItems?: number; maxItems?: number }
    | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; enum?: readonly string[]; format?: 'email' | 'date-time' }
    | { type: 'integer'; minimum?: number; maximum?: number }
    | { type: 'boolean' }
  );

export interface Problem {
  path: string;
  message: string;
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** Every problem of `value` against `schema` (empty when valid); paths like `fields.city` or `items[2]`. */
export function validate(schema: Schema, value: unknown, path = ''): Problem[] {
  const at = path || '(body)';
  if (value === null && schema.nullable) return [];
  const kind = kindOf(value);
  if (kind !== schema.type) return [{ path: at, message: `expected ${schema.type}${schema.nullable ? ' or null' : ''}, got ${kind}` }];
  switch (schema.type) {
    case 'object':
      return objectProblems(schema, value as Record<string, unknown>, path);
    case 'array': {
      const items = value as unknown[];
      if (schema.minItems !== undefined && items.length < schema.minItems) return [{ path: at, message: `at least ${schema.minItems} item(s)` }];
      if (schema.maxItems !== undefined && items.length > schema.maxItems) return [{ path: at, message: `at most ${schema.maxItems} items` }];
      return items.flatMap((item, i) => validate(schema.items, item, `${path}[${i}]`));
    }
    case 'string':
      return stringProblems(schema, value as string, at);
    case 'integer': {
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum) return [{ path: at, message: `at least ${schema.minimum}` }];
      if (schema.maximum !== undefined && n > schema.maximum) return [{ path: at, message: `at most ${schema.maximum}` }];
      return [];
    }
    default:
      return [];
  }
}

function objectProblems(schema: Extract<Schema, { type: 'object' }>, value: Record<string, unknown>, path: string): Problem[] {
  const problems: Problem[] = [];
  const join = (key: string) => (path ? `${path}.${key}` : key);
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
    problems.push({ path: path || '(body)', message: `at most ${schema.maxProperties} properties` });
  for (const key of schema.required ?? []) if (value[key] === undefined) problems.push({ path: join(key), message: 'required' });
  for (const key of keys) {
    const property = schema.properties?.[key];
    if (property) problems.push(...validate(property, value[key], join(key)));
    else if (schema.additionalProperties === false || schema.additionalProperties === undefined)
      problems.push({ path: join(key), message: 'unknown property' });
    else if (typeof schema.additionalProperties === 'object') problems.push(...validate(schema.additionalProperties, value[key], join(key)));
  }
  return problems;
}

function stringProblems(schema: Extract<Schema, { type: 'string' }>, value: string, at: string): Problem[] {
  if (schema.minLength !== undefined && value.length < schema.minLength) return [{ path: at, message: `at least ${schema.minLength} character(s)` }];
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return [{ path: at, message: `at most ${schema.maxLength} characters` }];
  if (schema.enum && !schema.enum.includes(value)) return [{ path: at, message: `one of: ${schema.enum.join(', ')}` }];
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return [{ path: at, message: `does not match ${schema.pattern}` }];
  if (schema.format === 'date-time' && (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)))
    return [{ path: at, message: 'an ISO 8601 date and time, e.g. 2026-05-01T09:00:00Z' }];
  return [];
}

/** The schema as published in the OpenAPI document (3.1: `nullable` becomes a type list). */
export function publish(schema: Schema): Record<string, unknown> {
  const { nullable, ...rest } = schema as Schema & Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (nullable) out.type = [schema.type, 'null'];
  if (schema.type === 'object' && schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, publish(v)]));
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') out.additionalProperties = publish(schema.additionalProperties);
  if (schema.type === 'object' && schema.additionalProperties === undefined) out.additionalProperties = false;
  if (schema.type === 'array') out.items = publish(schema.items);
  return out;
}
