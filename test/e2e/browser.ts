// The browser side of the end-to-end test: Debian's Chromium driven by playwright-core
// (no browser download), an accessibility check with axe-core, and screenshots of each
// screen in light and dark under test-results/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PASSK_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join('test-results', 'e2e');

/** Chromium on a fresh profile folder (nothing carried over between runs), headless. */
export async function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Console errors, page errors and CSP violations: the test fails on any. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  // Failed requests are reported with their URL below; the console line says the same without it.
  page.on('console', (m) => { if (m.type() === 'error' && !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => {
    const refusedSignIn = r.status() === 401 && new URL(r.url()).pathname === '/session';
    if (r.status() >= 400 && !refusedSignIn) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * axe-core's WCAG 2 A/AA rules on the page as it is. Evaluated through the DevTools
 * protocol, which the page's CSP does not govern, so the app's policy stays as strict as
 * it ships.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/** Serious and critical violations in light and in dark (contrast differs between them). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const v of await axeViolations(page)) {
      if (v.impact === 'serious' || v.impact === 'critical') out.push(`${scheme}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return out;
}

/** test-results/e2e/NAME-light.png and NAME-dark.png, the whole page. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
