/**
 * The health of this process, as its parts see it: a part that cannot do its job (the log file
 * cannot be written, the database refuses writes because the disk is full) reports a problem and
 * clears it when it works again. Module processes send it with every heartbeat answer, so the
 * watchdog, `herald status` and the console show a module that runs but is unhealthy.
 */

export interface HealthProblem {
  /** What is affected: `log`, `database`, `spool`… */
  area: string;
  reason: string;
  since: string;
}

const problems = new Map<string, HealthProblem>();

/** Returns true when this is a new problem (not one already reported). */
export function reportProblem(area: string, reason: string, now = new Date()): boolean {
  const known = problems.get(area);
  problems.set(area, { area, reason, since: known?.since ?? now.toISOString() });
  return !known;
}

/** Returns true when there was a problem to clear. */
export function clearProblem(area: string): boolean {
  return problems.delete(area);
}

export function healthStatus(): { ok: boolean; problems: HealthProblem[] } {
  return { ok: problems.size === 0, problems: [...problems.values()] };
}

/** The problems a module's heartbeat reports (shared/health.ts), as one line; '' when healthy. */
export function unhealthy(details: Record<string, unknown> | undefined): string {
  const health = details?.health as { ok?: boolean; problems?: Array<{ area: string; reason: string }> } | undefined;
  if (!health || health.ok !== false) return '';
  return (health.problems ?? []).map((p) => `${p.area}: ${p.reason}`).join('; ');
}
