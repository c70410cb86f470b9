import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import type { Issue } from '../template/plan.js';
import { keyedIssue } from '../issue-texts/index.js';

/**
 * The link check of the pre-send checks: every http(s) link and image of a content is asked
 * whether it answers (HEAD, then GET when HEAD is refused; a redirect counts as an answer), with a
 * time limit, a few at a time, straight or through an http:// proxy (CONNECT for https). Off by
 * default: Herald must work without the Internet.
 */

export interface LinkCheckOptions {
  timeoutMs: number;
  /** http://host:port, or '' to go straight. */
  proxy: string;
  level: 'warning' | 'error';
  maxLinks: number;
  /** Requests at once. */
  concurrency?: number;
}

export interface LinkAnswer {
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
}

function once(method: 'HEAD' | 'GET', target: URL, options: LinkCheckOptions, tunnel?: Socket): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const proxy = options.proxy ? new URL(options.proxy) : undefined;
    const https = target.protocol === 'https:';
    const headers = { 'user-agent': 'Herald link check', accept: '*/*' };
    const req =
      https || !proxy
        ? (https ? httpsRequest : httpRequest)(target, {
            method,
            headers,
            agent: false,
            ...(tunnel ? { createConnection: () => tlsConnect({ socket: tunnel, servername: target.hostname }) } : {}),
          })
        : httpRequest({ host: proxy.hostname, port: proxy.port || 80, method, path: target.href, headers: { ...headers, host: target.host }, agent: false });
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('response', (res) => {
      res.resume();
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** An https tunnel through the proxy (CONNECT host:port). */
function connectTunnel(target: URL, options: LinkCheckOptions): Promise<Socket> {
  const proxy = new URL(options.proxy);
  return new Promise((resolve, reject) => {
    const authority = `${target.hostname}:${target.port || 443}`;
    const req = httpRequest({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers: { host: authority }, agent: false });
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`the proxy did not answer within ${options.timeoutMs} ms`)));
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`the proxy refused the tunnel (${res.statusCode})`));
      }
    });
    req.on('error', reject);
    req.end();
  });
}

async function ask(method: 'HEAD' | 'GET', target: URL, options: LinkCheckOptions): Promise<number> {
  const tunnel = target.protocol === 'https:' && options.proxy ? await connectTunnel(target, options) : undefined;
  try {
    return (await once(method, target, options, tunnel)).statusCode ?? 0;
  } finally {
    tunnel?.destroy();
  }
}

export async function checkLink(url: string, options: LinkCheckOptions): Promise<LinkAnswer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { url, ok: false, error: 'not a valid URL' };
  }
  try {
    let status = await ask('HEAD', target, options);
    if (status === 405 || status === 501 || status === 403) status = await ask('GET', target, options);
    return { url, ok: status >= 200 && status < 400, status };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { url, ok: false, error: e.code ? `${e.code}${e.message.includes(e.code) ? '' : `: ${e.message}`}` : e.message };
  }
}

/** Checks the URLs (at most maxLinks), a few at a time; one issue per URL that does not answer. */
export async function checkLinks(urls: ReadonlyArray<{ url: string; kind: 'link' | 'image' }>, options: LinkCheckOptions): Promise<Issue[]> {
  const todo = urls.slice(0, options.maxLinks);
  const answers: Array<LinkAnswer & { kind: 'link' | 'image' }> = [];
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const item = todo[next++]!;
      answers.push({ ...(await checkLink(item.url, options)), kind: item.kind });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, todo.length) }, worker));
  const issues: Issue[] = answers
    .filter((a) => !a.ok)
    .sort((a, b) => urls.findIndex((u) => u.url === a.url) - urls.findIndex((u) => u.url === b.url))
    .map((a) => {
      const rule = a.kind === 'image' ? 'links.image_broken' : 'links.broken';
      return keyedIssue(rule, options.level, `check.${rule}`, { url: a.url.slice(0, 200), answer: a.status ? `HTTP ${a.status}` : String(a.error) });
    });
  if (urls.length > todo.length)
    issues.push(keyedIssue('links.unchecked', 'info', 'check.links.unchecked', { count: urls.length - todo.length, max: options.maxLinks }));
  issues.push(keyedIssue('links.checked', 'info', 'check.links.checked', { count: todo.length, failed: answers.filter((a) => !a.ok).length }));
  return issues;
}
