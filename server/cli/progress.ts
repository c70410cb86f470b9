/** A one-line progress bar redrawn in place on a terminal (nothing is drawn when not a TTY). */
export interface Progress {
  update(done: number, total: number, label: string): void;
  finish(): void;
}

export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, enabled = Boolean(stream.isTTY)): Progress {
  let last = 0;
  let drawn = false;
  return {
    update(done, total, label) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const filled = Math.round(ratio * width);
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${label}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
