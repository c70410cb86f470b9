import { PassThrough } from 'node:stream';
import type { ConsoleContext } from '../state.js';

/**
 * Server-sent event streams of the console (the delivery dashboards): each stream polls a snapshot
 * function, sends it when it changed, and ends when the snapshot says so, after `maxMs`, when the
 * browser goes away, or when the web module stops (closeAll, before the HTTP server closes).
 */

export interface LiveStreams {
  /** Answers the request with an event stream of `snapshot()` every `everyMs`; `done` ends it after sending. */
  open<T>(ctx: ConsoleContext, snapshot: () => Promise<{ data: T; done: boolean }>, options?: { everyMs?: number; maxMs?: number }): void;
  readonly size: number;
  closeAll(): void;
}

export function createLiveStreams(onError: (err: unknown) => void): LiveStreams {
  const open = new Set<() => void>();
  return {
    get size() {
      return open.size;
    },
    open(ctx, snapshot, options = {}) {
      const everyMs = options.everyMs ?? 2000;
      const until = Date.now() + (options.maxMs ?? 10 * 60_000);
      const out = new PassThrough();
      let timer: NodeJS.Timeout | undefined;
      let last = '';
      const end = () => {
        clearTimeout(timer);
        open.delete(end);
        if (!out.writableEnded) out.end();
      };
      const tick = async () => {
        try {
          const { data, done } = await snapshot();
          const text = JSON.stringify(data);
          if (text !== last) out.write(`data: ${text}\n\n`);
          else out.write(': keep-alive\n\n');
          last = text;
          if (done || Date.now() >= until) return end();
        } catch (err) {
          onError(err);
          return end();
        }
        if (open.has(end)) timer = setTimeout(() => void tick(), everyMs);
      };
      open.add(end);
      ctx.res.on('close', end);
      ctx.req.socket.setTimeout(0);
      ctx.status = 200;
      ctx.type = 'text/event-stream; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Accel-Buffering', 'no');
      ctx.body = out;
      out.write(`retry: ${everyMs * 2}\n\n`);
      void tick();
    },
    closeAll() {
      for (const end of [...open]) end();
    },
  };
}
