import { canonicalTimeZone } from '../../shared/time-zones/zone-maths.js';
import type { ConsoleContext } from '../state.js';

/** The zone a report's days and hours are read in, what was asked for, and whether that was not a zone. */
export interface ReportZone {
  zone: string;
  asked: string;
  unknown: boolean;
}

/**
 * The zone whose days and hours a report is read in: `?tz=` (an IANA name), else the operator's
 * zone, else `fallback` (a delivery's zone), else UTC. A name that is not a zone is reported on
 * the page, which then reads in the default.
 */
export function reportZone(ctx: ConsoleContext, fallback?: string | null): ReportZone {
  const asked = typeof ctx.query.tz === 'string' ? ctx.query.tz.trim().slice(0, 64) : '';
  const chosen = asked ? canonicalTimeZone(asked) : undefined;
  return { zone: chosen ?? ctx.state.operator?.timeZone ?? fallback ?? 'UTC', asked, unknown: asked !== '' && !chosen };
}
