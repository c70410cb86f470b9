/** The console's delivery form as a browser posts it, for HTTP tests. */

export const HTML =
  '<html><body><p>Hello <%= recipient.firstName %></p><a href="https://shop.example.com/spring">Spring sale</a> <a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>';
export const TEXT = 'Hello <%= recipient.firstName %>\nUnsubscribe: <%= links.unsubscribe %>\n';

/** Every field of the form, the five filter rows empty, then `overrides`. */
export function deliveryForm(overrides: Record<string, string> = {}): Record<string, string> {
  const rows = Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [
      [`f${i}_field`, ''],
      [`f${i}_op`, 'eq'],
      [`f${i}_value`, ''],
    ]).flat(),
  );
  return {
    internalName: 'spring',
    label: 'Spring news',
    kind: 'marketing',
    subject: 'Hello <%= recipient.firstName %>',
    fromName: 'Shop',
    fromAddress: 'news@shop.example.com',
    replyTo: '',
    html: HTML,
    text: TEXT,
    headers: '',
    targetKind: 'all',
    serviceId: '',
    listId: '',
    match: 'all',
    filterJson: '',
    limit: '',
    trackingEnabled: 'on',
    openTracking: 'on',
    scheduledAt: '',
    validityEnd: '',
    ...rows,
    ...overrides,
  };
}
