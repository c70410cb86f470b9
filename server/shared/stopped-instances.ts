import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INSTANCE_NAME } from './config/instances.js';
import { runFiles } from './watchdog-client.js';

/**
 * Instances stopped on request (`herald stop <instance>`), written down so that the stop outlives
 * the watchdog: a watchdog restarted by systemd, after a crash or a reboot, or by `herald stop` then
 * `herald start`, leaves such an instance down until `herald start <instance>`, as an operator who
 * stopped it for maintenance (a database move, an upgrade) expects. One file per instance,
 * `stopped/<name>` in the watchdog's run folder (beside its pid file), holding when it was stopped.
 */
export class StoppedInstances {
  constructor(private readonly dir: string) {}

  /** The marks of the appliance's watchdog (the default instance's config and data folder). */
  static of(config: Parameters<typeof runFiles>[0], paths: Parameters<typeof runFiles>[1]): StoppedInstances {
    return new StoppedInstances(join(dirname(runFiles(config, paths).pidFile), 'stopped'));
  }

  /** The instances stopped on request, with when. */
  read(): Map<string, string> {
    const found = new Map<string, string>();
    let files: string[];
    try {
      files = readdirSync(this.dir);
    } catch {
      return found;
    }
    for (const name of files.filter((f) => INSTANCE_NAME.test(f))) {
      try {
        const at = (JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as { stoppedAt?: unknown }).stoppedAt;
        found.set(name, typeof at === 'string' ? at : new Date(0).toISOString());
      } catch {
        found.set(name, new Date(0).toISOString()); // a file cut short (full disk): the stop holds all the same
      }
    }
    return found;
  }

  /** Writes the stop down; a write that fails (full disk) is reported, the stop holds for this watchdog. */
  mark(name: string, at: Date): string | undefined {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o750 });
      const file = join(this.dir, name);
      writeFileSync(`${file}.tmp`, `${JSON.stringify({ stoppedAt: at.toISOString() })}\n`);
      renameSync(`${file}.tmp`, file);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  clear(name: string): void {
    rmSync(join(this.dir, name), { force: true });
  }
}
