import type { NamedRight } from '../../shared/glossary.js';

/** Whether an operator's named rights grant `needed`: `admin` implies every right. */
export function hasRight(rights: readonly string[], needed: NamedRight): boolean {
  return rights.includes('admin') || rights.includes(needed);
}
