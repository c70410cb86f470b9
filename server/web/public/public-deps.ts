import type { Eta } from 'eta';
import type { Context } from 'koa';
import type { Database } from '../../db/connect.js';
import { countHit } from '../../db/repos/rate-limits.js';
import { allServices } from '../../db/repos/services.js';
import type { DeliveryDeps } from '../../delivery/analyse.js';
import type { EventServices } from '../../events/event-services.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logger.js';
import { decodeRecipientToken, type RecipientClaims, type RecipientPurpose } from '../../shared/tokens.js';
import { trackingKeys } from '../../shared/config/signing-keys.js';
import type { Translate } from '../i18n/translate.js';
import { currentLanguage, inLanguage } from '../../shared/i18n/language-scope.js';
import { recipientLanguage } from '../../db/repos/recipient-language.js';
import { crossSiteReason } from '../../shared/cross-site.js';
import { serializeCookie } from '../security/session-token.js';
import { checkForm, formToken, HONEYPOT_FIELD, newFormCookie, TOKEN_FIELD, validFormCookie } from './form-guard.js';

/** What the public routes share: their dependencies, page rendering, the form guard and the rate limit. */

export interface PublicDeps {
  config: HeraldConfig;
  db: Database;
  log: Logger;
  clock: () => Date;
  events: EventServices;
  /** Eta for views/forms, with the site's replacements (see server/shared/site-views.ts). */
  views: Eta;
  t: Translate;
  /** The registered languages (see i18n/translate.ts). */
  languages: readonly string[];
  delivery: DeliveryDeps;
  secure: boolean;
}

const cookieName = (secure: boolean) => `${secure ? '__Host-' : ''}herald-form`;
export const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Renders a public page, never cached. `same-origin`: no referrer (so no token URL) ever leaves for
 * another site, while our own forms get their real Origin (with `no-referrer` browsers send "null").
 */
export function renderPage(ctx: Context, deps: PublicDeps, template: string, data: Record<string, unknown> = {}, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('Content-Language', pageLanguage(ctx, deps));
  ctx.set('Vary', 'Accept-Language');
  ctx.body = inLanguage(pageLanguage(ctx, deps), () =>
    deps.views.render(`/forms/${template}`, { t: deps.t, lang: currentLanguage(), honeypot: HONEYPOT_FIELD, tokenField: TOKEN_FIELD, ...data }),
  );
}

/**
 * The language of a public page: the recipient's own when the page knows them (a preference or
 * unsubscribe link) and it is registered, else the browser's Accept-Language (see
 * middleware/language.ts), else `languages.default`.
 */
function pageLanguage(ctx: Context, deps: PublicDeps): string {
  const own = (ctx.state as { recipientLanguage?: string | null }).recipientLanguage;
  return own && deps.languages.includes(own) ? own : currentLanguage();
}

/** Reads the language of the recipient a page is about, for `renderPage`. */
export async function useRecipientLanguage(ctx: Context, deps: PublicDeps, recipientId: number): Promise<void> {
  (ctx.state as { recipientLanguage?: string | null }).recipientLanguage = await recipientLanguage(deps.db, recipientId);
}

/** The form token for the page being shown (sets the form cookie when the browser has none). */
export function formTokenFor(ctx: Context, deps: PublicDeps): string {
  let cookie = ctx.cookies.get(cookieName(deps.secure));
  if (!validFormCookie(cookie)) {
    cookie = newFormCookie();
    ctx.append('Set-Cookie', serializeCookie(cookieName(deps.secure), cookie, { secure: deps.secure, sameSite: 'Strict' }));
  }
  return formToken(deps.config.secrets.sessionKey, cookie, seconds(deps.clock()));
}

export type Admission = 'ok' | 'bot' | 'refused';

/**
 * Checks a form submit: from this site, with a valid form token and cookie, within the per-address
 * rate limit. A refusal has answered already (403, 429): the caller stops. A submit that looks
 * automated (too fast, honeypot filled) is 'bot': the caller answers as if it had worked and does nothing.
 */
export async function admitSubmit(ctx: Context, deps: PublicDeps): Promise<Admission> {
  const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
  const origins = [new URL(deps.config.web.publicUrl).origin, `${ctx.protocol}://${ctx.host}`];
  const now = deps.clock();
  const crossSite = crossSiteReason({ origin: ctx.get('origin') || undefined, secFetchSite: ctx.get('sec-fetch-site') || undefined }, origins);
  if (crossSite) return refuse(ctx, deps, crossSite);
  const limits = { minFillSeconds: deps.config.forms.minFillSeconds, maxAgeSeconds: deps.config.forms.maxAgeHours * 3600 };
  const verdict = checkForm(deps.config.secrets.sessionKey, ctx.cookies.get(cookieName(deps.secure)), body[TOKEN_FIELD], seconds(now), limits);
  if (verdict === 'missing' || verdict === 'forged' || verdict === 'expired') return refuse(ctx, deps, verdict);
  // Counted after the token check: a refused request costs no write; every submit that could act counts.
  const { hits, resetsAt } = await countHit(deps.db, `form:${ctx.ip}`, now, 60_000);
  if (hits > deps.config.forms.maxSubmitsPerMinute) {
    deps.log.warn('PUBLIC_RATE_LIMITED', { path: ctx.path });
    ctx.set('Retry-After', String(Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000))));
    renderPage(ctx, deps, 'refused', { reason: 'rate_limited' }, 429);
    return 'refused';
  }
  const honeypot = body[HONEYPOT_FIELD];
  return verdict === 'too_fast' || (typeof honeypot === 'string' && honeypot !== '') ? 'bot' : 'ok';
}

function refuse(ctx: Context, deps: PublicDeps, reason: string): 'refused' {
  deps.log.warn('PUBLIC_FORM_REJECTED', { path: ctx.path, reason });
  renderPage(ctx, deps, 'refused', { reason: reason === 'expired' ? 'expired' : 'forbidden' }, 403);
  return 'refused';
}

/** The claims of a recipient token of the given purpose (undefined: forged, expired or another purpose). */
export function claimsOf(deps: PublicDeps, token: string | undefined, purpose: RecipientPurpose): RecipientClaims | undefined {
  const claims = token ? decodeRecipientToken(trackingKeys(deps.config.secrets), token, seconds(deps.clock())) : undefined;
  return claims?.purpose === purpose ? claims : undefined;
}

/** The services a public form offers: forms.services, or every service. */
export async function offeredServices(db: Database, config: HeraldConfig): Promise<Array<{ id: number; name: string; label: string }>> {
  const all = (await allServices(db)).map((s) => ({ id: s.id, name: s.name, label: s.label }));
  return config.forms.services.length === 0 ? all : all.filter((s) => config.forms.services.includes(s.name));
}
