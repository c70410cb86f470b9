import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A provider's spool folder: `out/` (extraction files), `returns/` (return files to import),
 * `returns/done/` (imported), `returns/rejected/` (set aside, and the rejected lines of each file).
 * A file appears under its name only complete: it is written as `.<name>.part` in the same folder,
 * flushed to disk, then renamed (atomic on one file system) and the folder flushed, so a crash
 * leaves at most a hidden part file, never a half file under a name a provider picks up.
 */

export interface SpoolDirs {
  out: string;
  returns: string;
  done: string;
  rejected: string;
}

export function spoolDirs(root: string, provider: string): SpoolDirs {
  const base = join(root, provider);
  const returns = join(base, 'returns');
  return { out: join(base, 'out'), returns, done: join(returns, 'done'), rejected: join(returns, 'rejected') };
}

export async function makeSpoolDirs(dirs: SpoolDirs): Promise<void> {
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true, mode: 0o750 });
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` as `<dir>/<name>`, all or nothing (a file already there is replaced whole). */
export async function writeAtomically(dir: string, name: string, data: Buffer | string): Promise<string> {
  const part = join(dir, `.${name}.part`);
  const handle = await open(part, 'w', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const target = join(dir, name);
  await rename(part, target);
  await syncDir(dir);
  return target;
}

/** Moves a file to another spool folder (same file system), replacing one of the same name. */
export async function moveTo(file: string, dir: string, name: string): Promise<void> {
  await rename(file, join(dir, name));
  await syncDir(dir);
}

/** Complete files waiting in a folder (part files and sub-folders left out), oldest name first. */
export async function waitingFiles(dir: string): Promise<Array<{ name: string; path: string; size: number }>> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const out: Array<{ name: string; path: string; size: number }> = [];
  for (const name of names) {
    const path = join(dir, name);
    const s = await stat(path);
    if (s.isFile()) out.push({ name, path, size: s.size });
  }
  return out;
}
