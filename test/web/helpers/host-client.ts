import { request } from 'node:http';
import { ConsoleClient, type Reply } from './console.js';

/**
 * The console client of console.ts, asking for one host name: the requests go to `base` (the
 * listening address) with `Host: <host>`, as a browser reaching that host through DNS would
 * (fetch cannot set a Host header, so node:http carries them).
 */
export class HostClient extends ConsoleClient {
  constructor(
    base: string,
    readonly host: string,
  ) {
    super(base);
  }

  override request(method: string, path: string, init: { body?: RequestInit['body']; headers?: Record<string, string> } = {}): Promise<Reply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const { hostname, port } = new URL(this.base);
    const body = typeof init.body === 'string' ? init.body : undefined;
    const headers: Record<string, string> = { accept: 'text/html', host: this.host, ...(cookie ? { cookie } : {}), ...init.headers };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = request({ host: hostname, port, path, method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair, ...attributes] = line.split(';');
            const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
            if (attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === '') this.cookies.delete(name);
            else this.cookies.set(name, value);
          }
          const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
          if (token) this.csrf = token;
          const replyHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') replyHeaders.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers: replyHeaders, text, location: res.headers.location ?? null });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
