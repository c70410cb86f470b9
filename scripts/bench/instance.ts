import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { migrate } from '../../server/db/migrate.js';
import { initSiteConfig } from '../../server/shared/config/init-site.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';

/** A throw-away Herald instance for a benchmark: its own site config, data directory and database (SQLite, or the one at databaseUrl). */
export interface BenchInstance {
  dir: string;
  siteFile: string;
  config: HeraldConfig;
  db: Database;
  cleanup(): Promise<void>;
}

export async function benchInstance(extraToml = '', databaseUrl?: string): Promise<BenchInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const siteFile = join(dir, 'herald.toml');
  initSiteConfig(siteFile, { dataDir: join(dir, 'data'), env: databaseUrl ? { HERALD_DATABASE__URL: databaseUrl } : {} });
  if (extraToml) writeFileSync(siteFile, `\n${extraToml}\n`, { flag: 'a' });
  const { config } = loadConfig({ siteFile, env: {} });
  const db = await openDatabase(config, instancePaths(config));
  await migrate(db);
  return {
    dir,
    siteFile,
    config,
    db,
    async cleanup() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Peak resident memory of another process so far (Linux /proc VmHWM), in MB; 0 once it has gone. */
export function processPeakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : 0;
  } catch {
    return 0;
  }
}
