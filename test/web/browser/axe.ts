import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core (Deque's accessibility engine, the `axe-core` package) run inside a page. The script is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not cover,
 * so pages are tested with their real CSP.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe's violations on the current page (every rule axe runs by default: WCAG 2.0–2.2 A/AA and best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  // Evaluated as text: this runs in the page, whose globals (window, document, axe) Node's types do not have.
  return page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({
      id: v.id,
      impact: v.impact || null,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    })))`);
}

/** Serious and critical violations only, as lines for an assertion message. */
export function seriousOnes(path: string, violations: readonly AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(', ')}`);
}

/** How many CSS pixels the page scrolls sideways (0: it fits the viewport). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)');
}
