/**
 * Work a console request starts but does not wait for to the end (a delivery analysis of a large
 * target): the request waits a moment, so that short work answers at once, then lets it run on.
 * The web module waits for what is still running before it stops.
 */

export interface Background {
  /** Runs `work`; resolves with its result if it ends within `waitMs`, else with undefined (it goes on). */
  run<T>(work: () => Promise<T>, waitMs: number, onLateError: (err: unknown) => void): Promise<T | undefined>;
  busy(): number;
  idle(): Promise<void>;
}

export function createBackground(): Background {
  const running = new Set<Promise<unknown>>();
  return {
    async run(work, waitMs, onLateError) {
      let settled = false;
      const task = work().finally(() => {
        settled = true;
        running.delete(task);
      });
      running.add(task);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
      try {
        return await Promise.race([task, waited]);
      } finally {
        clearTimeout(timer);
        if (!settled) task.catch(onLateError);
      }
    },
    busy: () => running.size,
    async idle() {
      await Promise.allSettled([...running]);
    },
  };
}
