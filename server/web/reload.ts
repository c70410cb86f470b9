import { under } from '../shared/config/changes.js';
import type { HttpServer } from '../shared/http-server.js';
import type { RunningModule } from '../shared/run-process.js';
import { createWebApp, type WebApp, type WebDeps } from './app.js';

/** Config sections the rebuilt app reads; of them, what needs a new process. */
const WEB_RELOADABLE = ['web', 'forms', 'api', 'secrets.sessionKey'];
const WEB_AT_NEXT_START = ['web.host', 'web.port'];

/**
 * The web module's reload: the console, the public pages and the API are rebuilt with the new
 * config around the same imports, analyses, live streams and event intake, and the next requests
 * are served with them: no connection is dropped. Host, port, background rounds and the database
 * change at the next start.
 */
export function webReload(
  http: Pick<HttpServer, 'setHandler'>,
  deps: Omit<WebDeps, 'config' | 'reuse'>,
  running: WebApp,
): NonNullable<RunningModule['reload']> {
  const reuse = { imports: running.imports, bulk: running.bulk, deliveries: running.deliveries, events: running.events };
  return (next, changed) => {
    http.setHandler(createWebApp({ ...deps, config: next, reuse }).app.callback());
    return { applied: changed.filter((key) => WEB_RELOADABLE.some((prefix) => under(key, prefix)) && !WEB_AT_NEXT_START.includes(key)) };
  };
}
