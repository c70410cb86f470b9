import type { Database } from '../db/connect.js';
import type { AuditInput } from '../db/repos/audit.js';
import type { DeliveryDeps } from '../delivery/analyse.js';
import type { EventServices } from '../events/event-services.js';
import type { AuditAction } from '../shared/audit-actions.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { HeraldError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Scope } from './api-keys.js';
import type { Problem, Schema } from './schema.js';

/**
 * A REST API route as data: method, path (OpenAPI style, `/recipients/{id}`), the scope it needs,
 * the schemas of its parameters and body, its responses, and its handler. The router and the
 * OpenAPI document are both built from the same list, so they cannot disagree.
 */

export interface ApiKeyIdentity {
  id: number;
  name: string;
  scopes: string[];
  operatorId: number | null;
}

export interface ApiRequest {
  /** Path parameters, integers already converted when their schema says so. */
  params: Record<string, string | number>;
  query: Record<string, string | number | boolean | undefined>;
  body: unknown;
  key: ApiKeyIdentity;
  ip: string;
  header(name: string): string;
  now: Date;
  deps: ApiDeps;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiDeps {
  config: HeraldConfig;
  db: Database;
  log: Logger;
  clock: () => Date;
  events: EventServices;
  delivery: DeliveryDeps;
  /** Pushes a delivery's tracking URLs before it starts (server/tracking-data/publish). */
  publishUrls(deliveryId: number): Promise<void>;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** null: open to anyone (the OpenAPI document). */
  scope: Scope | null;
  /** Scopes needed as well (a list's members are recipients' personal data: recipients:read too). */
  alsoScopes?: readonly Scope[];
  tag: string;
  summary: string;
  params?: Record<string, Schema>;
  query?: Record<string, Schema>;
  body?: Schema;
  responses: Record<number, { description: string; schema?: Schema }>;
  handle(req: ApiRequest): Promise<ApiResponse>;
}

/** An API refusal with its HTTP status, a stable code and, for validation, the problems found. */
export class ApiError extends HeraldError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details?: readonly Problem[],
  ) {
    super(code, message, { status });
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `no such ${what}`);
export const invalid = (details: readonly Problem[]) => new ApiError(400, 'VALIDATION_FAILED', 'the request is not valid; see details', details);

/** The audit line of an API change: the key's operator (if any), named `api:<key name>`. */
export function auditOf(req: ApiRequest, action: AuditAction, target?: { type: string; id?: string | number }, detail?: Record<string, unknown>): AuditInput {
  return {
    at: req.now,
    operatorId: req.key.operatorId,
    operatorLogin: `api:${req.key.name}`.slice(0, 64),
    action,
    targetType: target?.type,
    targetId: target?.id,
    detail,
    ip: req.ip,
  };
}

/** Dates as ISO strings, everything else as is (JSON bodies). */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
