import { complaintRate, GMAIL_COMPLAINT_THRESHOLD } from '../../shared/delivery-counters.js';
import type { Delivery } from '../../db/models/index.js';
import type { AnalysisReport } from '../../delivery/analyse.js';
import type { Preview } from '../../delivery/preview.js';
import type { Issue } from '../../delivery/template/plan.js';

/** Human-readable output of the delivery commands (their --json output is the plain objects). */

const n = (v: number) => v.toLocaleString('en');
const words = (s: string) => s.replace(/_/g, ' ');

function issueLines(issues: readonly Issue[]): string[] {
  return issues.map((i) => `  ${i.level.padEnd(7)} ${i.rule}: ${i.message}`);
}

function byReason(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${words(k)} ${n(v)}`);
  return parts.length ? `  (${parts.join(', ')})` : '';
}

export function analysisText(r: AnalysisReport): string {
  const head = `delivery ${r.deliveryId} analysed in ${r.seconds} s: ${words(r.state)}`;
  const errors = r.issues.filter((i) => i.level === 'error').length;
  const counters = errors
    ? ['  no message prepared: fix the errors and analyse again']
    : [
        `  target      ${n(r.totalTarget)}`,
        `  excluded    ${n(r.excluded)}${byReason(r.excludedByReason as Record<string, number>)}`,
        `  to deliver  ${n(r.toDeliver)}`,
        `  tracked URLs ${r.links}`,
      ];
  return [head, ...counters, ...issueLines(r.issues)].join('\n') + '\n';
}

export function deliveryJson(d: Delivery): Record<string, unknown> {
  return {
    id: d.id,
    internalName: d.internalName,
    label: d.label,
    kind: d.kind,
    state: d.state,
    subject: d.subject,
    from: d.fromName ? `${d.fromName} <${d.fromAddress}>` : d.fromAddress,
    target: d.target,
    exclusions: d.exclusions,
    serviceId: d.serviceId,
    trackingEnabled: d.trackingEnabled,
    openTracking: d.openTracking,
    scheduledAt: d.scheduledAt,
    validityEnd: d.validityEnd,
    analysedAt: d.analysedAt,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    totalTarget: d.totalTarget,
    excluded: d.excluded,
    toDeliver: d.toDeliver,
    processed: d.processed,
    sent: d.sent,
    failed: d.failed,
    newQuarantine: d.newQuarantine,
    complaints: d.complaints,
    complaintRate: Math.round(complaintRate(d) * 10_000) / 10_000,
    analysis: d.analysis,
    lastError: d.lastError,
  };
}

export function deliveryText(d: Delivery, broadLogs: Record<string, number>): string {
  const date = (v: Date | null) => (v ? v.toISOString() : '-');
  const analysis = (d.analysis as { excluded?: Record<string, number>; issues?: Issue[] } | null) ?? {};
  const lines = [
    `delivery ${d.id} "${d.internalName}" (${d.kind}): ${words(d.state)}`,
    `  label       ${d.label}`,
    `  subject     ${d.subject ?? ''}`,
    `  from        ${d.fromName ? `${d.fromName} <${d.fromAddress}>` : (d.fromAddress ?? '')}`,
    `  target      ${JSON.stringify(d.target)}`,
    `  tracking    ${d.trackingEnabled ? `on${d.openTracking ? ', opens too' : ', no opens'}` : 'off'}`,
    `  scheduled   ${date(d.scheduledAt)}   validity end ${date(d.validityEnd)}`,
    `  analysed    ${date(d.analysedAt)}   started ${date(d.startedAt)}   finished ${date(d.finishedAt)}`,
    `  counters    target ${n(d.totalTarget)}, excluded ${n(d.excluded)}${byReason(analysis.excluded ?? {})}, to deliver ${n(d.toDeliver)}`,
    `  messages    ${
      Object.entries(broadLogs)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', ') || 'none'
    }`,
    ...(d.newQuarantine > 0 ? [`  quarantine  ${n(d.newQuarantine)} new address(es) put in quarantine by this delivery`] : []),
    ...(d.complaints > 0
      ? [
          `  complaints  ${n(d.complaints)} spam complaint(s), ${(complaintRate(d) * 100).toFixed(2)} % of the messages sent${complaintRate(d) >= GMAIL_COMPLAINT_THRESHOLD ? " (at or above Gmail's 0.3 % ceiling)" : ''}`,
        ]
      : []),
    ...(d.lastError ? [`  last error  ${d.lastError}`] : []),
    ...issueLines(analysis.issues ?? []),
  ];
  return lines.join('\n') + '\n';
}

export function listText(rows: readonly Delivery[]): string {
  const table = [
    ['ID', 'NAME', 'KIND', 'STATE', 'TO DELIVER', 'SENT', 'LABEL'],
    ...rows.map((d) => [String(d.id), d.internalName, d.kind, words(d.state), n(d.toDeliver), n(d.sent), d.label]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return (
    table
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function previewText(p: Preview, part: string | undefined): string {
  if (p.error) return `personalization failed for ${p.recipient.email}: ${p.error}\n`;
  const pick: Record<string, () => string> = {
    subject: () => `${p.subject}\n`,
    html: () => `${p.html ?? ''}\n`,
    text: () => `${p.text ?? ''}\n`,
    headers: () => p.headers!.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n',
    raw: () => p.raw!,
  };
  if (part) return pick[part]!();
  const intro = `preview of delivery ${p.deliveryId} for ${p.recipient.email}${p.tracked ? '' : ' (links not tracked yet: analyse the delivery first)'}\nenvelope: ${p.envelope!.from} -> ${p.envelope!.to}\n`;
  return `${intro}\n${pick.headers!()}\n--- text ---\n${pick.text!()}\n--- html ---\n${pick.html!()}`;
}
