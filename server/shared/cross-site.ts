/**
 * The browser's own cross-site signals (Origin, Sec-Fetch-Site), read the same way by the console,
 * the public forms and the REST API: a state-changing request that names another site is refused.
 */

/** Why a state-changing request looks cross-site, or undefined when it does not. */
export function crossSiteReason(headers: { origin?: string; secFetchSite?: string }, allowedOrigins: readonly string[]): string | undefined {
  if (headers.secFetchSite && !['same-origin', 'none'].includes(headers.secFetchSite)) return `Sec-Fetch-Site ${headers.secFetchSite}`;
  if (headers.origin !== undefined && !allowedOrigins.includes(headers.origin)) return 'foreign Origin';
  return undefined;
}
