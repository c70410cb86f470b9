import type { Database } from '../../../server/db/connect.js';
import { createOperator } from '../../../server/db/repos/operators.js';
import type { NamedRight } from '../../../server/shared/glossary.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { hashPassword, needsRehash, verifyPassword } from '../../../server/shared/password.js';
import { listenHttp, type HttpServer } from '../../../server/shared/http-server.js';
import { createWebApp, type WebApp } from '../../../server/web/app.js';
import { createViews } from '../../../server/web/views.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { startTestTracker, type TestTracker } from '../../helpers/tracking.js';

/** A running console on 127.0.0.1 with its own instance, a movable clock and counted password checks. */
export interface ConsoleHarness {
  instance: TestInstance;
  db: Database;
  web: WebApp;
  http: HttpServer;
  base: string;
  clock: { now: Date };
  /** How many password hashes were verified (the expensive step login throttling protects). */
  verifications: { count: number };
  /** A tracking server on 127.0.0.1:0 the console pushes tracked links to (with `tracker: true`). */
  tracker?: TestTracker;
  close(): Promise<void>;
}

export async function startConsole(extraToml = '', options: { tracker?: boolean } = {}): Promise<ConsoleHarness> {
  const instance = createInstance(extraToml);
  const db = await openTestDb(instance);
  const tracker = options.tracker ? await startTestTracker(instance.config, instance.paths.dataDir) : undefined;
  const config = tracker ? { ...instance.config, tracking: { ...instance.config.tracking, servers: [tracker.base] } } : instance.config;
  const clock = { now: new Date() };
  const verifications = { count: 0 };
  const passwords = {
    hash: hashPassword,
    needsRehash,
    verify: (password: string, stored: string) => {
      verifications.count++;
      return verifyPassword(password, stored);
    },
  };
  const web = createWebApp({ config, db, log: silentLogger(), views: createViews(), clock: () => clock.now, passwords });
  const http = await listenHttp(web.app.callback(), '127.0.0.1', 0);
  return {
    instance,
    db,
    web,
    http,
    base: `http://127.0.0.1:${http.port}`,
    clock,
    verifications,
    tracker,
    async close() {
      web.deliveries.live.closeAll();
      await http.close();
      await web.imports.idle();
      await web.bulk.stop();
      await web.deliveries.background.idle();
      await tracker?.stop();
      await db.close();
      instance.cleanup();
    },
  };
}

export async function addOperator(
  db: Database,
  login: string,
  rights: NamedRight[],
  options: { password?: string; mustChange?: boolean } = {},
): Promise<{ login: string; password: string; id: number }> {
  const password = options.password ?? `${login}-password-long-enough`;
  const operator = await createOperator(db, { login, passwordHash: await hashPassword(password), rights, mustChangePassword: options.mustChange ?? false });
  return { login, password, id: operator.id };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A browser-like HTTP client: a cookie jar, no automatic redirects, and the last page's CSRF token. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, init: { body?: RequestInit['body']; headers?: Record<string, string> } = {}): Promise<Reply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      body: init.body,
      headers: { accept: 'text/html', ...this.headers, ...(cookie ? { cookie } : {}), ...init.headers },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, { headers });
  }

  /** POSTs a form; the page's CSRF token is added unless `_csrf` is given (null: none at all). */
  post(path: string, form: Record<string, string | string[]> = {}, headers?: Record<string, string>): Promise<Reply> {
    const body = new URLSearchParams();
    if (!('_csrf' in form)) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    return this.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Logs in through the login form; returns the login POST reply. */
  async login(login: string, password: string): Promise<Reply> {
    await this.get('/login');
    return this.post('/login', { login, password });
  }
}
