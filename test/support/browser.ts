// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the sign-in
// pages. One browser and one tab per test file (opening tabs is the slow part); each test
// starts from a blank tab with no cookies, as a fresh visitor.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.ROOST_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A reason to skip the browser tests where Chromium is not installed; CI sets
 * ROOST_TEST_REQUIRE_BROWSER so a missing browser fails there instead.
 */
export const BROWSER_SKIP: string | false = existsSync(CHROMIUM) || process.env.ROOST_TEST_REQUIRE_BROWSER
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)`;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export interface BrowserPage {
  page: Page;
  context: BrowserContext;
  /** every URL the page requested since fresh(), in order */
  requests: string[];
}

export interface TestBrowser {
  browser: Browser;
  /** the tab, blank, with no cookies and an empty request log */
  fresh(): Promise<BrowserPage>;
  close(): Promise<void>;
}

/**
 * One Chromium. playwright's launch() gives it a fresh temporary user-data dir, deleted at
 * close.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  return {
    browser,
    async fresh() {
      await page.goto('about:blank');
      await context.clearCookies();
      page.removeAllListeners('dialog');
      requests.length = 0;
      return { page, context, requests };
    },
    close: () => browser.close(),
  };
}
