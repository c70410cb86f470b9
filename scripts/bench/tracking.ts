import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { encodeTrackingToken } from '../../server/shared/tokens.js';
import { publishDeliveryUrls } from '../../server/tracking-data/publish/publish-urls.js';
import { freePort } from './free-port.js';
import { benchInstance } from './instance.js';

/**
 * `bench tracking --seconds N`: the click redirect of the real tracking module (`herald tracking`,
 * hit log on) against a minimal node:http 302 handler, both in their own processes, loaded by
 * autocannon from this one over loopback. Each target gets N seconds in alternating slices, so
 * background load hits both alike. p99 is the worst slice's. Extra fields: CPU time per request of
 * each server (robust to other work on the machine), the same measure repeated pinned (load
 * generator and servers on separate CPUs) and the hits in the log afterwards.
 */

const RECIPIENTS = 1000;
const BASELINE = `require('node:http').createServer((q, s) => { s.writeHead(302, { Location: 'https://shop.example.com/p?id=42&src=mail' }); s.end(); }).listen(+process.argv[1], '127.0.0.1');`;

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    if (
      await fetch(url, { redirect: 'manual' }).then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

async function load(base: string, paths: string[], seconds: number, connections: number) {
  const result = await autocannon({ url: base, connections, duration: seconds, requests: paths.map((path) => ({ path })) });
  if (result.errors > 0 || result.non2xx !== result['3xx'])
    throw new Error(`${base}: ${result.errors} errors, ${result.non2xx - result['3xx']} answers that are not redirects`);
  return { requests: result['3xx'], seconds: result.duration, p99: result.latency.p99 };
}

/** CPU seconds a process has used so far (Linux /proc; 0 elsewhere): robust to load from other processes. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function hitsLogged(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').length - 1, 0);
}

type Target = 'tracking' | 'baseline';

/** Both targets, N seconds each in alternating slices; ratio, worst-slice p99 and CPU time per request. */
async function measure(targets: Record<Target, string>, pids: Record<Target, number>, paths: string[], options: { seconds: number; connections: number }) {
  const totals = { tracking: { requests: 0, seconds: 0, p99: 0, cpu: 0 }, baseline: { requests: 0, seconds: 0, p99: 0, cpu: 0 } };
  const slices = Math.min(3, Math.max(1, Math.floor(options.seconds)));
  for (let i = 0; i < slices; i++) {
    for (const name of ['baseline', 'tracking'] as const) {
      const cpuBefore = cpuSeconds(pids[name]);
      const run = await load(targets[name], paths, options.seconds / slices, options.connections);
      totals[name].cpu += cpuSeconds(pids[name]) - cpuBefore;
      totals[name].requests += run.requests;
      totals[name].seconds += run.seconds;
      totals[name].p99 = Math.max(totals[name].p99, run.p99);
    }
  }
  const rps = Math.round(totals.tracking.requests / totals.tracking.seconds);
  const baselineRps = Math.round(totals.baseline.requests / totals.baseline.seconds);
  const cpuUs = (t: (typeof totals)[Target]) => Math.round((t.cpu / t.requests) * 1e7) / 10;
  return {
    rps,
    baselineRps,
    ratio: Math.round((rps / baselineRps) * 100) / 100,
    p99: totals.tracking.p99,
    baselineP99: totals.baseline.p99,
    cpuUs: cpuUs(totals.tracking),
    baselineCpuUs: cpuUs(totals.baseline),
  };
}

/**
 * The protocol's "pinned" variant: the load generator (this process, all its threads) on CPU 1, the
 * servers on CPU 0, so they stop competing for one core. False (and no pinned figures) on a
 * one-CPU machine or without taskset.
 */
function pin(processes: { load: number; servers: number[] }): boolean {
  if (availableParallelism() < 2) return false;
  const taskset = (cpu: string, pid: number) => spawnSync('taskset', ['-a', '-cp', cpu, String(pid)], { stdio: 'ignore' }).status === 0;
  return processes.servers.every((pid) => taskset('0', pid)) && taskset('1', processes.load);
}

export async function benchTracking(options: { seconds: number; connections: number }): Promise<Record<string, number>> {
  const [port, baselinePort] = [await freePort(), await freePort()];
  const instance = await benchInstance(`[tracking]\nhost = "127.0.0.1"\nport = ${port}\n`);
  const children: ChildProcess[] = [];
  try {
    const delivery = await instance.db.models.Delivery.create({ internalName: 'BENCH', label: 'Tracking benchmark', analysedAt: new Date() });
    const url = await instance.db.models.TrackingUrl.create({
      deliveryId: delivery.id,
      type: 'click',
      url: 'https://shop.example.com/p?id={p1}&src=mail',
      label: 'shop',
    });
    const env = { ...process.env, HERALD_CONFIG: instance.siteFile };
    const tracker = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), 'tracking'], { cwd: APP_ROOT, env, stdio: 'ignore' });
    const baseline = spawn(process.execPath, ['-e', BASELINE, String(baselinePort)], { stdio: 'ignore' });
    children.push(tracker, baseline);
    const targets = { tracking: `http://127.0.0.1:${port}`, baseline: `http://127.0.0.1:${baselinePort}` };
    await waitUntilUp(`${targets.tracking}/r/test`, tracker);
    await waitUntilUp(targets.baseline, baseline);
    await publishDeliveryUrls(instance.db, instance.config, delivery.id);
    const paths = Array.from({ length: RECIPIENTS }, (_, i) => {
      const value = String(1000 + i);
      return `/r/${encodeTrackingToken(instance.config.secrets.trackingKey, { deliveryId: delivery.id, broadLogId: i + 1, urlId: url.id }, [value])}?p1=${value}`;
    });
    const pids = { tracking: tracker.pid!, baseline: baseline.pid! };
    for (const name of ['baseline', 'tracking'] as const) await load(targets[name], paths, 2, options.connections); // warm-up
    const free = await measure(targets, pids, paths, options);
    const pinned = pin({ load: process.pid, servers: [pids.tracking, pids.baseline] }) ? await measure(targets, pids, paths, options) : undefined;
    tracker.kill('SIGTERM');
    await once(tracker, 'exit');
    return {
      rps: free.rps,
      p99_ms: free.p99,
      baseline_rps: free.baselineRps,
      ratio: free.ratio,
      baseline_p99_ms: free.baselineP99,
      connections: options.connections,
      cpu_us_per_req: free.cpuUs,
      baseline_cpu_us_per_req: free.baselineCpuUs,
      ...(pinned ? { pinned_rps: pinned.rps, pinned_baseline_rps: pinned.baselineRps, pinned_ratio: pinned.ratio, pinned_p99_ms: pinned.p99 } : {}),
      hits_logged: hitsLogged(resolve(instance.config.dataDir, instance.config.tracking.logDir)),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await instance.cleanup();
  }
}
