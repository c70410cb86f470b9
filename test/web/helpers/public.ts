import type { Database } from '../../../server/db/connect.js';
import { createApiKey } from '../../../server/db/repos/api-keys.js';
import { generateApiKey, type Scope } from '../../../server/api/api-keys.js';
import { silentLogger, type Logger } from '../../../server/shared/logger.js';
import { listenHttp, type HttpServer } from '../../../server/shared/http-server.js';
import { createWebApp, type WebApp } from '../../../server/web/app.js';
import { createViews } from '../../../server/web/views.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { ConsoleClient, type Reply } from './console.js';

/**
 * The web module on 127.0.0.1 for the public pages and the REST API: its own instance, a clock the
 * test moves (form fill times, expiries), and the tracking URL pushes recorded instead of sent.
 */
export interface PublicHarness {
  instance: TestInstance;
  db: Database;
  web: WebApp;
  http: HttpServer;
  base: string;
  clock: { now: Date };
  published: number[];
  /** A REST API key with these scopes (Authorization header value). */
  apiKey(scopes: readonly Scope[], name?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPublic(extraToml = '', log: Logger = silentLogger()): Promise<PublicHarness> {
  const instance = createInstance(extraToml);
  const db = await openTestDb(instance);
  const clock = { now: new Date() };
  const published: number[] = [];
  const web = createWebApp({
    config: instance.config,
    db,
    log,
    views: createViews(),
    clock: () => clock.now,
    publishUrls: async (id) => void published.push(id),
  });
  const http = await listenHttp(web.app.callback(), '127.0.0.1', 0);
  let keys = 0;
  return {
    instance,
    db,
    web,
    http,
    base: `http://127.0.0.1:${http.port}`,
    clock,
    published,
    async apiKey(scopes, name = `key-${++keys}`) {
      const { key, prefix, secretHash } = generateApiKey();
      await createApiKey(db, { name, prefix, secretHash, scopes: [...scopes], operatorId: null, expiresAt: null }, new Date());
      return `Bearer ${key}`;
    },
    async close() {
      await http.close();
      await web.events.intake.stop();
      await db.close();
      instance.cleanup();
    },
  };
}

/** A browser-like client for the public forms: keeps cookies and the last page's form token. */
export class FormClient extends ConsoleClient {
  formToken = '';

  override async request(method: string, path: string, init: { body?: RequestInit['body']; headers?: Record<string, string> } = {}): Promise<Reply> {
    const reply = await super.request(method, path, init);
    const token = /name="_form" value="([^"]+)"/.exec(reply.text)?.[1];
    if (token) this.formToken = token;
    return reply;
  }

  /** POSTs a form with the page's form token (unless `_form` is given). */
  submit(path: string, form: Record<string, string | string[]> = {}, headers?: Record<string, string>): Promise<Reply> {
    return this.post(path, { _csrf: [], ...('_form' in form ? {} : { _form: this.formToken }), ...form }, headers);
  }
}

/** JSON API call with an Authorization header; `json` is whatever the API answered (tests read it freely). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;
export async function api(
  base: string,
  auth: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: AnyJson }> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}
