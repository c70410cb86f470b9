import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_MODES } from '../../server/db/repos/recipient-search.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { AUDIT_ACTIONS } from '../../server/shared/audit-actions.js';
import {
  BOUNCE_TEXT_STATUSES,
  BROAD_LOG_STATUSES,
  DELIVERY_KINDS,
  DELIVERY_STATES,
  EMAIL_FORMATS,
  FAILURE_REASONS,
  FAILURE_TYPES,
  NAMED_RIGHTS,
  QUARANTINE_STATUSES,
  SUBSCRIPTION_STATUSES,
  TRACKING_URL_TYPES,
  WORKFLOW_RUN_STATUSES,
  WORKFLOW_RUN_TRIGGERS,
  WORKFLOW_STATES,
} from '../../server/shared/glossary.js';
import { INBOUND_REVIEW_STATUSES } from '../../server/db/repos/inbound-messages.js';
import { DELIVERY_ACTIONS } from '../../server/web/console/delivery-buttons.js';
import { FILTER_FIELDS, FILTER_OPS } from '../../server/web/forms/filter-rows.js';
import { DELIVERY_REPORTS } from '../../server/web/routes/delivery-reports.js';
import { NAVIGATION } from '../../server/web/console/navigation.js';
import { NOTICES } from '../../server/web/console/render.js';
import { EN } from '../../server/web/i18n/en.js';
import { translator } from '../../server/web/i18n/translate.js';

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

const templates = files(join(APP_ROOT, 'views'), '.eta');
const code = files(join(APP_ROOT, 'server', 'web'), '.ts').filter((f) => !f.includes(`${join('i18n', 'en.ts')}`));

describe('console text (i18n)', () => {
  it('has every key the templates and the web code ask for', () => {
    const missing: string[] = [];
    for (const file of [...templates, ...code]) {
      const source = readFileSync(file, 'utf8');
      for (const [, key] of source.matchAll(/\bt\('([a-z0-9_.]+)'[,)]/g)) if (!(key! in EN)) missing.push(`${file}: ${key}`);
      for (const [, key] of source.matchAll(/'((?:[a-z_]+\.)+(?:error\.)[a-z_]+)'/g)) if (!(key! in EN)) missing.push(`${file}: ${key}`);
    }
    assert.deepEqual(missing, []);
  });

  it('has a label for every glossary word the console shows', () => {
    const groups: Array<[string, readonly string[]]> = [
      ['subscription', SUBSCRIPTION_STATUSES],
      ['broadlog', BROAD_LOG_STATUSES],
      ['failure', FAILURE_TYPES],
      ['reason', FAILURE_REASONS],
      ['quarantine', QUARANTINE_STATUSES],
      ['tracking', TRACKING_URL_TYPES],
      ['right', NAMED_RIGHTS],
      ['audit.action', AUDIT_ACTIONS],
      ['recipients.by', SEARCH_MODES],
      ['format', EMAIL_FORMATS],
      ['history', ['subscribe', 'unsubscribe', 'confirm', 'expire']],
      ['import.status', ['running', 'finished', 'failed']],
      ['notice', [...NOTICES]],
      ['delivery.state', DELIVERY_STATES],
      ['delivery.kind', DELIVERY_KINDS],
      ['deliveries.action', DELIVERY_ACTIONS.filter((a) => a !== 'edit')],
      ['deliveries.target', ['all', 'service', 'list', 'addresses']],
      ['deliveries.match', ['all', 'any']],
      ['filter.op', FILTER_OPS],
      ['filter.field', FILTER_FIELDS],
      ['issue', ['error', 'warning', 'info']],
      ['reports.tab', DELIVERY_REPORTS],
      ['bounce', BOUNCE_TEXT_STATUSES],
      ['inbound.status', INBOUND_REVIEW_STATUSES],
      ['inbound.kind', ['dsn', 'arf', 'autoreply', 'unsubscribe', 'unknown', 'not_bounce']],
      ['module', ['starting', 'ready', 'stopping', 'backoff', 'crash-looping', 'stopped']],
      ['workflow.state', WORKFLOW_STATES],
      ['run', WORKFLOW_RUN_STATUSES],
      ['run.trigger', WORKFLOW_RUN_TRIGGERS],
      ['workflows.action', ['start', 'pause', 'stop']],
      ['workflows.kind', ['technical', 'marketing']],
    ];
    for (const report of DELIVERY_REPORTS) assert.ok(`reports.${report}.title` in EN, report);
    const missing = groups.flatMap(([prefix, words]) => words.map((w) => `${prefix}.${w}`).filter((k) => !(k in EN)));
    assert.deepEqual(missing, []);
    for (const item of NAVIGATION) assert.ok(item.label in EN, item.label);
  });

  it('keeps every word of the templates in the catalogue (no text outside Eta tags)', () => {
    const found: string[] = [];
    for (const file of templates) {
      const html = readFileSync(file, 'utf8').replace(/<%[\s\S]*?%>/g, '');
      for (const [, attr, value] of html.matchAll(/\b(title|placeholder|alt|aria-label|data-confirm)="([^"]*)"/g))
        if (/\p{L}/u.test(value!)) found.push(`${file}: ${attr}="${value}"`);
      const text = html.replace(/<!doctype[^>]*>/gi, '').replace(/<[^>]*>/g, ' ');
      for (const word of text.match(/[^\s]*\p{L}[^\s]*/gu) ?? []) found.push(`${file}: ${word}`);
    }
    assert.deepEqual(found, []);
  });

  it('fills placeholders and falls back to the key for an unknown one', () => {
    const t = translator('en');
    assert.equal(t('login.throttled', { minutes: 3 }), 'Too many failed attempts. Try again in 3 min.');
    assert.equal(t('no.such.key'), 'no.such.key');
  });
});
