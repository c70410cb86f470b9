import type { TrackingUrlType } from '../../shared/glossary.js';

/**
 * Rules that flag automated hits, as data (checked in order; the first that matches names the
 * reason stored in tracking_logs.bot). Indicators report raw figures (every hit) and human figures
 * (hits with no reason). Each user-agent rule carries real examples; a test proves each example
 * hits its own rule and that the human examples below hit none.
 */

export const BOT_REASONS = ['privacy_proxy', 'scanner', 'too_fast', 'link_burst'] as const;
export type BotReason = (typeof BOT_REASONS)[number];

/** Which hits a rule looks at: opens (the pixel) or link hits (click and opt-out). */
export type HitKind = 'open' | 'link' | 'any';

export interface UserAgentRule {
  id: string;
  kind: 'user_agent';
  reason: BotReason;
  hits: HitKind;
  pattern: RegExp;
  examples: readonly string[];
}

/** A link hit this soon after the message was sent: a gateway scanning mail on arrival. */
export interface AfterSendRule {
  id: string;
  kind: 'after_send';
  reason: BotReason;
  hits: HitKind;
  seconds: number;
}

/**
 * One message whose links were hit all at once (at least `minLinks` different links, or every link
 * when the message has fewer, within `windowSeconds`): a scanner following every link.
 */
export interface LinkBurstRule {
  id: string;
  kind: 'link_burst';
  reason: BotReason;
  minLinks: number;
  windowSeconds: number;
}

export type BotRule = UserAgentRule | AfterSendRule | LinkBurstRule;

export const BOT_RULES: readonly BotRule[] = [
  {
    id: 'apple-mail-privacy-protection',
    kind: 'user_agent',
    reason: 'privacy_proxy',
    hits: 'open',
    // Apple Mail Privacy Protection fetches every image through Apple's proxy, opened or not.
    pattern: /^Mozilla\/5\.0$/,
    examples: ['Mozilla/5.0'],
  },
  {
    id: 'no-user-agent',
    kind: 'user_agent',
    reason: 'scanner',
    hits: 'any',
    pattern: /^\s*$/,
    examples: [''],
  },
  {
    id: 'http-library',
    kind: 'user_agent',
    reason: 'scanner',
    hits: 'any',
    pattern: /\b(curl|wget|python-requests|python-urllib|aiohttp|go-http-client|java\/|apache-httpclient|okhttp|libwww-perl|axios|node-fetch|undici)\b/i,
    examples: ['python-requests/2.31.0', 'Go-http-client/1.1', 'curl/8.5.0', 'Java/17.0.2', 'Apache-HttpClient/4.5.13 (Java/11.0.19)'],
  },
  {
    id: 'crawler-or-preview',
    kind: 'user_agent',
    reason: 'scanner',
    hits: 'any',
    pattern:
      /(googlebot|bingbot|yandexbot|baiduspider|duckduckbot|applebot|facebookexternalhit|slackbot|twitterbot|linkedinbot|discordbot|telegrambot|skypeuripreview|headlesschrome|phantomjs|crawler|spider)/i,
    examples: [
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    ],
  },
  {
    id: 'mail-security-gateway',
    kind: 'user_agent',
    reason: 'scanner',
    hits: 'any',
    pattern: /(barracuda|proofpoint|mimecast|ironport|messagelabs|trendmicro|forcepoint|fireeye|zscaler|sophos|bitdefender|safelinks|urldefense)/i,
    examples: ['Mozilla/5.0 (compatible; Barracuda Sentinel (EE))', 'Proofpoint URL Defense', 'Mimecast-URL-Protect/1.0'],
  },
  { id: 'click-right-after-send', kind: 'after_send', reason: 'too_fast', hits: 'link', seconds: 5 },
  { id: 'every-link-at-once', kind: 'link_burst', reason: 'link_burst', minLinks: 3, windowSeconds: 10 },
];

/** User agents of people (mail clients and browsers) that no rule may flag. */
export const HUMAN_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  'Mozilla/5.0 (Linux; Android 13; CUBOT NOTE 30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0',
];

export function hitKind(type: TrackingUrlType): 'open' | 'link' | 'other' {
  return type === 'open' ? 'open' : type === 'click' || type === 'opt_out' ? 'link' : 'other';
}
