import type { ServerResponse } from 'node:http';
import { negotiateLanguage } from './i18n/accept-language.js';
import { registeredLanguages, translator } from './i18n/translate.js';

/**
 * The two pages the host dispatcher answers itself, before any instance sees the request:
 * 421 (Misdirected Request) for a host no instance of this appliance declares, 503 for a host whose
 * instance cannot be served now (its site config failed to load, or its database is not open yet).
 * Plain pages, in the browser's language, naming nothing of any instance.
 */

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sendHostPage(res: ServerResponse, status: 421 | 503, acceptLanguage: string | undefined, host: string): void {
  const language = negotiateLanguage(acceptLanguage, registeredLanguages()) ?? 'en';
  const t = translator(language);
  const title = t(status === 421 ? 'error.421' : 'error.503');
  const text = status === 421 ? t('error.421.text', { host: escape(host.slice(0, 255)) }) : escape(t('error.503.instance'));
  const body = `<!doctype html>\n<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} – Herald</title></head>\n<body><main><h1>${escape(title)}</h1><p>${text}</p></main></body></html>\n`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...(status === 503 ? { 'retry-after': '30' } : {}),
  });
  res.end(body);
}
