import { blockReference } from './blocks.js';

/**
 * The personalization field picker of the content editors, as data: each entry is what the
 * operator picks (a label key of the console catalogue) and the exact expression inserted, in the
 * syntax the analysis accepts (server/delivery/README.md, "Templates and the trust model"). Links
 * are inserted as whole anchors, so the escaping by context stays right; blocks as references. A
 * custom field (`recipient.fields.<name>`) is typed by name in the picker (views/static/console.js).
 */

export interface PickerEntry {
  group: 'recipient' | 'links' | 'delivery' | 'blocks';
  label: string;
  insert: string;
}

const field = (path: string) => `<%= ${path} %>`;

export const PICKER_FIELDS: readonly PickerEntry[] = [
  { group: 'recipient', label: 'picker.first_name', insert: field('recipient.firstName') },
  { group: 'recipient', label: 'picker.last_name', insert: field('recipient.lastName') },
  { group: 'recipient', label: 'picker.email', insert: field('recipient.email') },
  { group: 'recipient', label: 'picker.greeting', insert: `<% if (recipient.firstName) { %>Hello ${field('recipient.firstName')},<% } else { %>Hello,<% } %>` },
  { group: 'links', label: 'picker.unsubscribe', insert: `<a href="${field('links.unsubscribe')}">Unsubscribe</a>` },
  { group: 'links', label: 'picker.preferences', insert: `<a href="${field('links.preferences')}">Manage your preferences</a>` },
  { group: 'links', label: 'picker.mirror', insert: `<a href="${field('links.mirror')}">View this email in your browser</a>` },
  { group: 'delivery', label: 'picker.delivery_label', insert: field('delivery.label') },
];

/** The picker's entries with the site's blocks. */
export function pickerEntries(blocks: ReadonlyArray<{ name: string; label: string }>): PickerEntry[] {
  return [...PICKER_FIELDS, ...blocks.map((b): PickerEntry => ({ group: 'blocks', label: b.label, insert: blockReference(b.name) }))];
}
