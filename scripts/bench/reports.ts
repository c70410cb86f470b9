import { createOperator } from '../../server/db/repos/operators.js';
import { listenHttp } from '../../server/shared/http-server.js';
import { silentLogger } from '../../server/shared/logger.js';
import { hashPassword } from '../../server/shared/password.js';
import { consolidateDelivery } from '../../server/tracking-data/ingest/consolidate.js';
import { createWebApp } from '../../server/web/app.js';
import { createViews } from '../../server/web/views.js';
import { runReportStats } from '../../server/workflows/technical/report-stats.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import { benchInstance, peakRssMb } from './instance.js';
import { seededCounts, seedReports } from './reports-seed.js';

/**
 * `bench reports --recipients N`: seeds N recipients, N broad logs and 300 000 tracking rows (bulk
 * inserts, not timed), runs the real consolidations the workflows run (tracking indicators and
 * slots, report aggregates; timed apart), then times the console over HTTP as a logged-in
 * administrator: the recipient list and searches, the delivery dashboard and every report and
 * monitoring page, each requested several times after one warm-up. Prints the p95 of each page
 * (ms) and the worst of them; the target is ≤ 300 ms for every page.
 */

const TRACKING_ROWS = 300_000;
const TIMED_REQUESTS = 20;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

function pagesOf(deliveryId: number, serviceId: number): Record<string, string> {
  const d = `/reports/deliveries/${deliveryId}`;
  return {
    recipients: '/recipients',
    recipients_search_email: '/recipients?by=email&q=user4242',
    recipients_search_name: '/recipients?by=last_name&q=last9999',
    deliveries: '/deliveries',
    delivery: `/deliveries/${deliveryId}`,
    delivery_dashboard: `/deliveries/${deliveryId}/dashboard`,
    reports: '/reports',
    report_summary: d,
    report_tracking: `${d}/tracking`,
    report_links: `${d}/links`,
    report_failures: `${d}/failures`,
    report_domains: '/reports/domains?days=7',
    report_throughput: '/reports/throughput?hours=48',
    report_quarantines: '/reports/quarantines',
    report_subscriptions: `/reports/subscriptions?service=${serviceId}&days=365`,
    report_failures_csv: `${d}/failures.csv?table=delivery-${deliveryId}-failures-by-domain`,
    monitoring: '/monitoring',
  };
}

async function login(base: string, password: string): Promise<string> {
  const first = await fetch(`${base}/login`);
  const cookies = first.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, login: 'bench', password }).toString(),
  });
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

async function time(base: string, path: string, cookie: string): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i <= TIMED_REQUESTS; i++) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    if (i > 0) ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return ms;
}

export async function benchReports(options: { recipients: number }): Promise<Record<string, unknown>> {
  const instance = await benchInstance('[watchdog]\ncontrolPort = 0\n');
  try {
    const { db, config } = instance;
    const now = new Date();
    const t0 = process.hrtime.bigint();
    const { deliveryId, serviceId } = await seedReports(db, options.recipients, Math.min(TRACKING_ROWS, options.recipients * 3), now);
    const counts = await seededCounts(db);
    if (counts.recipients !== options.recipients || counts.broad_logs !== options.recipients) throw new Error(`seeded ${JSON.stringify(counts)}`);
    const t1 = process.hrtime.bigint();
    await consolidateDelivery(db, deliveryId, now, { openDedupSeconds: config.tracking.openDedupSeconds });
    await runReportStats({ db, config, paths: instancePaths(config), log: silentLogger(), now, signal: new AbortController().signal });
    const t2 = process.hrtime.bigint();
    const password = 'bench-password-long-enough';
    await createOperator(db, { login: 'bench', passwordHash: await hashPassword(password), rights: ['admin'], mustChangePassword: false });
    const web = createWebApp({ config, db, log: silentLogger(), views: createViews() });
    const http = await listenHttp(web.app.callback(), '127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${http.port}`;
      const cookie = await login(base, password);
      const pages: Record<string, number> = {};
      for (const [name, path] of Object.entries(pagesOf(deliveryId, serviceId)))
        pages[name] = Math.round(percentile(await time(base, path, cookie), 95) * 10) / 10;
      return {
        pages,
        p95_ms: Math.max(...Object.values(pages)),
        requests_per_page: TIMED_REQUESTS,
        ...counts,
        seed_seconds: Math.round(Number(t1 - t0) / 1e7) / 100,
        consolidation_seconds: Math.round(Number(t2 - t1) / 1e7) / 100,
        peak_rss_mb: peakRssMb(),
      };
    } finally {
      web.deliveries.live.closeAll();
      await http.close();
    }
  } finally {
    await instance.cleanup();
  }
}
