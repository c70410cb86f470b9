import type { ConsoleClient } from './console.js';

/**
 * Reads a server-sent event stream of the console as the browser would (with the client's
 * cookies), handing each `data:` event to `onEvent` until it returns true or the stream ends.
 * Returns every event read.
 */
export async function readEvents<T>(
  client: ConsoleClient,
  path: string,
  onEvent: (data: T) => boolean | Promise<boolean>,
): Promise<{ events: T[]; ended: boolean }> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const controller = new AbortController();
  const res = await fetch(`${client.base}${path}`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`${path}: ${res.status}`);
  const events: T[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events, ended: true };
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (!data) continue;
      const event = JSON.parse(data) as T;
      events.push(event);
      if (await onEvent(event)) {
        controller.abort();
        await reader.cancel().catch(() => undefined);
        return { events, ended: false };
      }
    }
  }
}
