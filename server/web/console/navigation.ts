import type { NamedRight } from '../../shared/glossary.js';
import { hasRight } from '../security/rights.js';

/**
 * The console's main menu as data: a label key, where it goes, and the right it needs (none: every
 * operator).
 */
export interface NavItem {
  label: string;
  href: string;
  right?: NamedRight;
}

export const NAVIGATION: readonly NavItem[] = [
  { label: 'nav.recipients', href: '/recipients' },
  { label: 'nav.services', href: '/services' },
  { label: 'nav.lists', href: '/lists' },
  { label: 'nav.audiences', href: '/audiences' },
  { label: 'nav.deliveries', href: '/deliveries' },
  { label: 'nav.content', href: '/content' },
  { label: 'nav.reports', href: '/reports', right: 'view_reports' },
  { label: 'nav.monitoring', href: '/monitoring', right: 'view_reports' },
  { label: 'nav.workflows', href: '/workflows', right: 'workflow' },
  { label: 'nav.operators', href: '/operators', right: 'admin' },
  { label: 'nav.audit', href: '/audit', right: 'admin' },
];

/** The menu an operator sees, with the entry of the current page marked. */
export function visibleNavigation(rights: readonly string[], path: string, items: readonly NavItem[] = NAVIGATION) {
  return items
    .filter((item) => !item.right || hasRight(rights, item.right))
    .map((item) => ({ ...item, current: path === item.href || path.startsWith(`${item.href}/`) }));
}
