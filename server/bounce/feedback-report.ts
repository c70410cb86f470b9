import type { FeedbackReport } from './types.js';
import { addressOf } from './delivery-status.js';

/** RFC 5965 `message/feedback-report` fields (Feedback-Type, User-Agent, Original-Rcpt-To…). */
export function parseFeedbackReport(text: string): FeedbackReport {
  const fields = new Map<string, string>();
  const recipients: string[] = [];
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (name === 'original-rcpt-to' || name === 'removal-recipient') {
      const address = addressOf(m[2]);
      if (address && !recipients.includes(address) && recipients.length < 100) recipients.push(address);
    } else if (!fields.has(name)) fields.set(name, m[2]!.trim());
  }
  const report: FeedbackReport = { feedbackType: (fields.get('feedback-type') ?? 'abuse').toLowerCase().split(/[\s;]/)[0] || 'abuse' };
  const userAgent = fields.get('user-agent');
  if (userAgent) report.userAgent = userAgent.slice(0, 200);
  if (recipients.length > 0) report.originalRcptTo = recipients;
  const ip = fields.get('source-ip');
  if (ip) report.sourceIp = ip.slice(0, 64);
  return report;
}

/** The text classification rules see for a complaint: `Feedback-Type: abuse`. */
export function feedbackText(report: FeedbackReport): string {
  return `Feedback-Type: ${report.feedbackType}${report.userAgent ? ` User-Agent: ${report.userAgent}` : ''}`;
}
