import { loadInstanceSet } from '../shared/config/instance-set.js';
import { listenHttp } from '../shared/http-server.js';
import type { StartModule } from '../shared/run-process.js';
import { registerHttpMetrics } from './app.js';
import { createViews } from './views.js';
import { createWebHosts } from './web-hosts.js';
import { openWebSite } from './web-site.js';

/**
 * The web module: console, public forms and API over HTTP, one process for every instance of the
 * appliance (their site configs beside the default one's), each served under its own host names.
 */
export const startWeb: StartModule = async ({ config, paths, siteFile, log, signal, metrics }) => {
  const views = createViews();
  const main = await openWebSite({ config, paths, log, signal, views, httpMetrics: registerHttpMetrics(metrics.registry) });
  const hosts = createWebHosts({ main, log, signal, views });
  const instances = (current: typeof config) => loadInstanceSet({ config: current, siteFile });
  await hosts.sync(instances(config));
  const http = await listenHttp((req, res) => hosts.handle(req, res), config.web.host, config.web.port);
  log.info('WEB_LISTENING', { host: config.web.host, port: http.port });
  return {
    async stop() {
      hosts.closeStreams();
      await http.close();
      await hosts.stop();
    },
    status: () => {
      const instances = hosts.status();
      return Object.keys(instances).length > 1 ? { port: http.port, instances } : { port: http.port };
    },
    async reload(next, changed) {
      const result = await main.reload(next, changed);
      await hosts.sync(instances(next));
      return result;
    },
  };
};
