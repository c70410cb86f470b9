import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError, HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { listenHttp, type HttpServer } from '../shared/http-server.js';
import type { Logger } from '../shared/logger.js';
import type { WatchdogStatus } from '../shared/watchdog-client.js';

/**
 * The watchdog's control port, on 127.0.0.1 only. Every request needs `Authorization: Bearer
 * <controlToken(config)>`.
 *
 *   GET  /status                  the status as JSON (WatchdogStatus)
 *   POST /restart[?module=<name>] graceful restart of one module or all; answers when done, with the status
 *   POST /stop                    drain every module and exit; answers at once (202)
 *   POST /restart?module=<name>&instance=<name>   the same, for one module of one instance
 *   POST /instances/stop?instance=<name>          drain one instance's modules (they stay down); answers when done
 *   POST /instances/start?instance=<name>         start one instance's modules (an instance added since: loaded first)
 *   POST /instances/reload?instance=<name>        re-read one instance's site config (422 with the reason when invalid)
 *   POST /instances/forget?instance=<name>        let go of a stopped instance (removed with herald instance remove)
 */

export interface ControlActions {
  status(): WatchdogStatus;
  has(module: string, instance?: string): boolean;
  restart(module?: string, instance?: string): Promise<void>;
  stop(): void;
  instances?: {
    has(name: string): boolean;
    stop(name: string): Promise<void>;
    start(name: string): Promise<void>;
    reload(name: string): Promise<{ ok: true } | { ok: false; reason: string }>;
    forget(name: string): boolean;
  };
}

type Answer = { status: number; body: unknown };

async function route(method: string, url: URL, actions: ControlActions): Promise<Answer> {
  const key = `${method} ${url.pathname}`;
  if (key === 'GET /status') return { status: 200, body: actions.status() };
  const instance = url.searchParams.get('instance') ?? undefined;
  if (instance !== undefined && !actions.instances?.has(instance)) return { status: 404, body: { error: `unknown instance: ${instance}` } };
  if (key === 'POST /restart') {
    const module = url.searchParams.get('module') ?? undefined;
    if (module !== undefined && !actions.has(module, instance)) return { status: 404, body: { error: `unknown module: ${module}` } };
    if (actions.status().stopping) return { status: 409, body: { error: 'the watchdog is stopping' } };
    await actions.restart(module, instance);
    return { status: 200, body: actions.status() };
  }
  if (key.startsWith('POST /instances/') && actions.instances) return instanceRoute(key.slice('POST /instances/'.length), instance, actions);
  if (key === 'POST /stop') {
    actions.stop();
    return { status: 202, body: { stopping: true } };
  }
  return { status: 404, body: { error: 'not found' } };
}

async function instanceRoute(verb: string, instance: string | undefined, actions: ControlActions): Promise<Answer> {
  const steer = actions.instances!;
  if (instance === undefined) return { status: 400, body: { error: 'instance=<name> is required' } };
  if (actions.status().stopping) return { status: 409, body: { error: 'the watchdog is stopping' } };
  if (verb === 'stop') await steer.stop(instance);
  else if (verb === 'start') await steer.start(instance);
  else if (verb === 'reload') {
    const result = await steer.reload(instance);
    if (!result.ok) return { status: 422, body: { error: result.reason } };
  } else if (verb === 'forget') {
    if (!steer.forget(instance)) return { status: 409, body: { error: `instance ${instance} is running or is the default one` } };
  } else return { status: 404, body: { error: 'not found' } };
  return { status: 200, body: actions.status() };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startControlServer(port: number, token: string, actions: ControlActions, log: Logger): Promise<HttpServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const reply = ({ status, body }: Answer) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!authorized(req, token)) {
      log.warn('WATCHDOG_CONTROL_DENIED', { method: req.method, path: url.pathname });
      return reply({ status: 401, body: { error: 'missing or wrong control token' } });
    }
    route(req.method ?? 'GET', url, actions).then(reply, (err: unknown) => reply({ status: 500, body: { error: describeError(err) } }));
  };
  try {
    return await listenHttp(handler, '127.0.0.1', port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new HeraldError('WATCHDOG_PORT_IN_USE', `control port 127.0.0.1:${port} is in use (another Herald, or set watchdog.controlPort)`, {
      exitCode: EXIT.UNAVAILABLE,
    });
  }
}
