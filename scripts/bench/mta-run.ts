import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import type { Sink } from './smtp-sink.js';

/**
 * One timed send: `herald mta` processes (one per node) started right after the delivery, until
 * the sink has every message and the database says every one is sent. With several nodes each is
 * its own Herald install on the shared database: its own instance name (lease owner), data folder
 * and HELO name (n1.bench.local, n2.bench.local… which the sink's dump records).
 */
export interface SendRun {
  seconds: number;
  /** Highest peak RSS of the MTA processes, MB. */
  peakRssMb: number;
  /** Messages the sink received per second of the run. */
  perSecond: number[];
  received: number;
}

export interface NodeSpec {
  count: number;
  /** Folder under which node i keeps its data (n1, n2…); undefined: one MTA on the instance's own data folder. */
  dataRoot?: string;
}

/** Peak resident memory of a process (Linux /proc), in MB. */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : 0;
  } catch {
    return 0;
  }
}

function startMta(siteFile: string, overrides: string[]): ChildProcess {
  const args = ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'mta', ...overrides.flatMap((o) => ['--set', o])];
  return spawn(process.execPath, args, { env: { ...process.env, HERALD_CONFIG: siteFile }, stdio: 'ignore' });
}

export async function timedSend(input: {
  db: Database;
  siteFile: string;
  nodes: NodeSpec;
  deliveryId: number;
  messages: number;
  sink: Sink;
  start: () => Promise<void>;
}): Promise<SendRun> {
  const { nodes, sink, messages } = input;
  const before = sink.received();
  await input.start();
  const started = process.hrtime.bigint();
  const children = Array.from({ length: nodes.count }, (_, i) =>
    startMta(
      input.siteFile,
      nodes.dataRoot ? [`instanceName=bench-n${i + 1}`, `mta.heloName=n${i + 1}.bench.local`, `dataDir=${join(nodes.dataRoot, `n${i + 1}`)}`] : [],
    ),
  );
  const perSecond: number[] = [];
  let rss = 0;
  for (let last = before; ;) {
    await sleep(1000);
    for (const child of children) rss = Math.max(rss, peakRss(child.pid!));
    const now = sink.received();
    perSecond.push(now - last);
    last = now;
    if (children.every((c) => c.exitCode !== null)) throw new Error('every MTA process exited before the delivery was sent');
    if (now - before >= messages && (await input.db.models.BroadLog.count({ where: { deliveryId: input.deliveryId, status: { [Op.ne]: 'sent' } } })) === 0)
      break;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
  return { seconds, peakRssMb: rss, perSecond, received: sink.received() - before };
}
