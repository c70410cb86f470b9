/**
 * A push delivery's own fields and their limits (pure). Title, body and the page opened are
 * templates (personalized like the other channels' parts); icon and image are fixed https URLs;
 * TTL and urgency are RFC 8030's headers for this delivery (empty: `[push]` decides).
 *
 * Limits: what notification centres show and browsers accept. Android and desktop Chrome cut a
 * title after about 50 characters and a collapsed body after about 120; macOS, Windows and iOS
 * show a little more. A longer title or body is refused outright at 100 and 500 characters, and
 * the whole payload must stay within what push services accept (4,096 octets once encrypted,
 * checked per message at build).
 */

export const PUSH_URGENCIES = ['very-low', 'low', 'normal', 'high'] as const;
export type PushUrgency = (typeof PUSH_URGENCIES)[number];

export interface PushContent {
  title: string;
  body: string;
  /** The page the notification opens (a template); null: it opens nothing. */
  url: string | null;
  icon: string | null;
  image: string | null;
  /** Seconds the push service keeps an undelivered notification (0 … 28 days); null: `[push] ttlSeconds`. */
  ttlSeconds: number | null;
  urgency: PushUrgency | null;
}

export const PUSH_LIMITS = {
  title: 100,
  body: 500,
  url: 2000,
  ttlSeconds: 2_419_200,
  /** What a phone shows before cutting (the preview marks the cut). */
  shownTitle: 50,
  shownBody: 120,
} as const;

/** What the push sender reads off a compiled push delivery besides its parts (title = subject, body and page = text part). */
export interface PushSettings {
  /** The text part ends with the page opened, on its own last line. */
  hasUrl: boolean;
  icon: string | null;
  image: string | null;
  ttlSeconds: number | null;
  urgency: PushUrgency | null;
}

/**
 * The push fields as the parts every channel renders: the title is the subject, the body then the
 * page on its own last line the text part (so the page is personalized and tracked like a link).
 */
export function pushParts(p: PushContent): { subject: string; text: string; push: PushSettings } {
  return {
    subject: p.title,
    text: p.url ? `${p.body}\n${p.url}` : p.body,
    push: { hasUrl: p.url !== null, icon: p.icon, image: p.image, ttlSeconds: p.ttlSeconds, urgency: p.urgency },
  };
}

/** The message key of what is wrong with a push field, or undefined. */
export type PushFieldProblem =
  | 'push.error.title_required'
  | 'push.error.title_length'
  | 'push.error.body_required'
  | 'push.error.body_length'
  | 'push.error.url'
  | 'push.error.image_url'
  | 'push.error.ttl'
  | 'push.error.urgency';

const TAG = /<%[\s\S]*?%>/g;

/** An absolute http(s) URL; template tags stand for any text (`https://shop.example/p/<%= recipient.id %>`). */
export function pageUrlProblem(url: string): boolean {
  if (url.length > PUSH_LIMITS.url || /\s/.test(url.replace(TAG, ''))) return true;
  try {
    const u = new URL(url.replace(TAG, 'x'));
    return !(u.protocol === 'https:' || u.protocol === 'http:') || !u.hostname;
  } catch {
    return true;
  }
}

/** A fixed https URL (browsers fetch icons and images only from secure origins). */
export function imageUrlProblem(url: string): boolean {
  if (url.length > PUSH_LIMITS.url || /\s|<%/.test(url)) return true;
  try {
    return new URL(url).protocol !== 'https:';
  } catch {
    return true;
  }
}

/** The raw form values checked; field name → problem. */
export function checkPushFields(f: {
  title: string;
  body: string;
  url: string;
  icon: string;
  image: string;
  ttl: string;
  urgency: string;
}): Partial<Record<'pushTitle' | 'pushBody' | 'pushUrl' | 'pushIcon' | 'pushImage' | 'pushTtl' | 'pushUrgency', PushFieldProblem>> {
  const out: ReturnType<typeof checkPushFields> = {};
  if (!f.title.trim()) out.pushTitle = 'push.error.title_required';
  else if ([...f.title].length > PUSH_LIMITS.title) out.pushTitle = 'push.error.title_length';
  if (!f.body.trim()) out.pushBody = 'push.error.body_required';
  else if ([...f.body].length > PUSH_LIMITS.body) out.pushBody = 'push.error.body_length';
  if (f.url && pageUrlProblem(f.url)) out.pushUrl = 'push.error.url';
  if (f.icon && imageUrlProblem(f.icon)) out.pushIcon = 'push.error.image_url';
  if (f.image && imageUrlProblem(f.image)) out.pushImage = 'push.error.image_url';
  if (f.ttl && !(/^\d{1,7}$/.test(f.ttl) && Number(f.ttl) <= PUSH_LIMITS.ttlSeconds)) out.pushTtl = 'push.error.ttl';
  if (f.urgency && !(PUSH_URGENCIES as readonly string[]).includes(f.urgency)) out.pushUrgency = 'push.error.urgency';
  return out;
}

/** A stored value read back (a hand-edited or truncated row gives null: the delivery is then sent the older way). */
export function parsePushContent(value: unknown): PushContent | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const s = (x: unknown) => (typeof x === 'string' && x !== '' ? x : null);
  if (typeof v.title !== 'string') return null;
  const ttl = typeof v.ttlSeconds === 'number' && Number.isInteger(v.ttlSeconds) && v.ttlSeconds >= 0 ? v.ttlSeconds : null;
  const urgency = (PUSH_URGENCIES as readonly unknown[]).includes(v.urgency) ? (v.urgency as PushUrgency) : null;
  return { title: v.title, body: typeof v.body === 'string' ? v.body : '', url: s(v.url), icon: s(v.icon), image: s(v.image), ttlSeconds: ttl, urgency };
}

/** What a device shows of a text cut at `limit` characters: the kept part and whether it was cut. */
export function shownText(text: string, limit: number): { shown: string; cut: boolean } {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= limit
    ? { shown: chars.join(''), cut: false }
    : {
        shown: `${chars
          .slice(0, limit - 1)
          .join('')
          .trimEnd()}…`,
        cut: true,
      };
}
