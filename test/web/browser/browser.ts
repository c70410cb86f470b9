import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { APP_ROOT } from '../../../server/shared/app-root.js';

/**
 * Debian's chromium, driven headless through playwright-core, for the console and public page
 * tests. Where chromium is not installed the browser tests are skipped, except when
 * HERALD_TEST_REQUIRE_CHROMIUM=1 (set by .ci/run): then its absence fails them.
 */
const CHROMIUM = process.env.HERALD_TEST_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = join(APP_ROOT, 'test-output', 'screenshots');

export interface TestBrowser {
  page: Page;
  /** Console errors and uncaught page errors seen so far (a page should leave none). */
  problems: string[];
  /** A full-page screenshot in test-output/screenshots/<name>.png. */
  shot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Whether the browser tests can run here; throws where chromium is required but missing. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.HERALD_TEST_REQUIRE_CHROMIUM === '1') throw new Error(`chromium is required (HERALD_TEST_REQUIRE_CHROMIUM=1) but ${CHROMIUM} does not exist`);
  return false;
}

/** A fresh chromium profile at this viewport; `colorScheme` is what `prefers-color-scheme` answers. */
export async function openBrowser(viewport: { width: number; height: number }, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport,
      colorScheme: options.colorScheme ?? 'light',
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return {
    page,
    problems,
    shot: (name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true }),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
