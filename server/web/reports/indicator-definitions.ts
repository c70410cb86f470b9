/**
 * Every figure the reports and the home page show, with a definition in plain words and the formula
 * (Adobe Campaign's, where Herald follows it: see server/tracking/ingest/indicators.ts). The text is
 * in the catalogue (`definition.<id>.text`, `definition.<id>.formula`); the label is the report's own
 * key, so a figure reads the same on the report and on the definitions page (`/reports/definitions#<id>`).
 */
export interface IndicatorDefinition {
  /** Anchor on the definitions page. */
  id: string;
  /** Message key of the figure's name as the reports show it. */
  label: string;
}

export const INDICATOR_GROUPS: ReadonlyArray<{ title: string; items: readonly IndicatorDefinition[] }> = [
  {
    title: 'definitions.group.messages',
    items: [
      { id: 'target', label: 'reports.target' },
      { id: 'excluded', label: 'reports.excluded' },
      { id: 'to_deliver', label: 'reports.to_deliver' },
      { id: 'processed', label: 'reports.processed' },
      { id: 'sent', label: 'reports.sent' },
      { id: 'failed', label: 'reports.failed' },
      { id: 'pending', label: 'reports.pending' },
      { id: 'new_quarantines', label: 'reports.new_quarantines' },
      { id: 'sms_delivered', label: 'reports.sms_delivered' },
      { id: 'sms_undeliverable', label: 'reports.sms_undeliverable' },
      { id: 'sms_expired', label: 'reports.sms_expired' },
      { id: 'sms_no_receipt', label: 'reports.sms_no_receipt' },
      { id: 'sms_stop_replies', label: 'reports.sms_stop_replies' },
      { id: 'sms_other_replies', label: 'reports.sms_other_replies' },
      { id: 'sms_segments', label: 'reports.sms_segments' },
      { id: 'push_expired', label: 'reports.push_expired' },
      { id: 'routed_delivered', label: 'reports.routed_delivered' },
      { id: 'routed_returned', label: 'reports.routed_returned' },
      { id: 'routed_bad_address', label: 'reports.routed_bad_address' },
      { id: 'routing_cost', label: 'reports.routing_cost' },
    ],
  },
  {
    title: 'definitions.group.tracking',
    items: [
      { id: 'recipient_opens', label: 'reports.recipient_opens' },
      { id: 'estimated_opens', label: 'reports.estimated_opens' },
      { id: 'total_opens', label: 'reports.total_opens' },
      { id: 'recipient_clicks', label: 'reports.recipient_clicks' },
      { id: 'person_clicks', label: 'reports.person_clicks' },
      { id: 'total_clicks', label: 'reports.total_clicks' },
      { id: 'reactivity', label: 'reports.reactivity' },
      { id: 'forwards', label: 'reports.forwards' },
      { id: 'opt_outs', label: 'reports.opt_outs' },
      { id: 'mirror_views', label: 'reports.mirror_views' },
      { id: 'opens', label: 'reports.opens' },
      { id: 'humanOpens', label: 'reports.humanOpens' },
      { id: 'clicks', label: 'reports.clicks' },
      { id: 'humanClicks', label: 'reports.humanClicks' },
    ],
  },
  {
    title: 'definitions.group.rates',
    items: [
      { id: 'rate-delivered', label: 'home.rate.delivered' },
      { id: 'rate-bounce', label: 'home.rate.bounce' },
      { id: 'rate-open', label: 'home.rate.open' },
      { id: 'rate-click', label: 'home.rate.click' },
      { id: 'rate-complaint', label: 'home.rate.complaint' },
      { id: 'rate-unsubscribe', label: 'home.rate.unsubscribe' },
      { id: 'rate', label: 'reports.rate' },
      { id: 'share', label: 'reports.share' },
    ],
  },
  {
    title: 'definitions.group.operations',
    items: [
      { id: 'messages', label: 'reports.messages' },
      { id: 'connections', label: 'reports.connections' },
      { id: 'soft_errors', label: 'reports.soft_errors' },
      { id: 'hard_errors', label: 'reports.hard_errors' },
      { id: 'timeouts', label: 'reports.timeouts' },
      { id: 'refused_connections', label: 'reports.refused_connections' },
      { id: 'error_rate', label: 'reports.error_rate' },
      { id: 'subscribed', label: 'reports.subscribed' },
      { id: 'confirmed', label: 'reports.confirmed' },
      { id: 'unsubscribed', label: 'reports.unsubscribed' },
      { id: 'expired', label: 'reports.expired' },
      { id: 'net', label: 'reports.net' },
    ],
  },
];

/** The definition anchor of a report label key (`reports.sent` → `sent`), when the figure has one. */
const BY_LABEL = new Map(INDICATOR_GROUPS.flatMap((g) => g.items.map((i) => [i.label, i.id] as const)));
export function definitionOf(label: string): string | undefined {
  return BY_LABEL.get(label);
}
