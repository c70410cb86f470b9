import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Every answer of the tracking server, with its headers built once. All carry
 * `Referrer-Policy: no-referrer` (recipient data in a URL never leaks to the next site) and nosniff.
 */

const COMMON = { 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' } as const;
const NO_STORE = 'no-store, no-cache, must-revalidate, max-age=0';

/** The 43-byte transparent 1×1 GIF of the open pixel. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const PIXEL_HEADERS = {
  ...COMMON,
  'Content-Type': 'image/gif',
  'Content-Length': String(PIXEL.length),
  'Cache-Control': NO_STORE,
  Pragma: 'no-cache',
  Expires: '0',
};

const page = (title: string, text: string) =>
  Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`);
const NOT_FOUND = page('Not found', 'This link is not valid.');
const EXPIRED = page('Link expired', 'This link has expired.');
const HTML_HEADERS = { ...COMMON, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'" };

export function sendPixel(res: ServerResponse, head: boolean): void {
  res.writeHead(200, PIXEL_HEADERS);
  res.end(head ? undefined : PIXEL);
}

/**
 * 302 to a destination; `cookie` sets the person cookie. Only the headers a redirect needs (a 302
 * without freshness information is never cached): this is the hot path.
 */
export function sendRedirect(res: ServerResponse, location: string, cookie?: string): void {
  const headers: Record<string, string> = { Location: location, 'Referrer-Policy': 'no-referrer', 'Content-Length': '0' };
  if (cookie) headers['Set-Cookie'] = cookie;
  res.writeHead(302, headers);
  res.end();
}

function sendPage(res: ServerResponse, status: number, body: Buffer, head: boolean): void {
  res.writeHead(status, { ...HTML_HEADERS, 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}

/** The plain 404 page for anything unsigned, tampered or unknown: never a redirect. */
export const sendNotFound = (res: ServerResponse, head = false) => sendPage(res, 404, NOT_FOUND, head);

/** An expired delivery's link when no expiration URL is configured. */
export const sendExpired = (res: ServerResponse, head = false) => sendPage(res, 410, EXPIRED, head);

export function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  res.writeHead(405, { ...COMMON, Allow: allow, 'Content-Length': '0', 'Cache-Control': 'no-store' });
  res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...COMMON, 'Content-Type': 'application/json', 'Content-Length': String(data.length), 'Cache-Control': 'no-store' });
  res.end(data);
}

/** Malformed HTTP (Node's parser refused it): a bare 400, or 431 for oversized headers, still with the policy. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nReferrer-Policy: no-referrer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}
