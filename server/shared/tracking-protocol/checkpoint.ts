/**
 * A position in a tracking server's hit log: `<epoch>.<file>.<offset>`. The epoch is a random id
 * written when the log folder is created, so a checkpoint from a wiped or reinstalled server is
 * recognised as foreign and reading starts over (the hit ids keep that idempotent).
 */
export interface Checkpoint {
  epoch: string;
  file: number;
  offset: number;
}

const FORMAT = /^([0-9a-f]{16})\.(\d{1,10})\.(\d{1,15})$/;

export function parseCheckpoint(text: string): Checkpoint | undefined {
  const match = FORMAT.exec(text);
  if (!match) return undefined;
  return { epoch: match[1]!, file: Number(match[2]), offset: Number(match[3]) };
}

export function formatCheckpoint(c: Checkpoint): string {
  return `${c.epoch}.${c.file}.${c.offset}`;
}
