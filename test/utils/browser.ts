import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, BrowserContextOptions, ConsoleMessage, Page } from 'playwright-core';

/** Debian's chromium (scripts/install-chromium.sh); playwright-core downloads no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** A small phone, the narrowest screen the public pages are designed for. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };

export const SCREENSHOT_DIR = resolve(__dirname, '../../test-output/screenshots');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /**
   * Console errors, uncaught exceptions (a CSP violation shows up here) and failed
   * sub-resources (stylesheet, script, icon...). The status of each page itself is for the
   * test to check: a form answered with 422 is expected.
   */
  problems(): string[];
  close(): Promise<void>;
}

export type SessionOptions = Pick<
  BrowserContextOptions,
  'javaScriptEnabled' | 'viewport' | 'locale' | 'isMobile' | 'hasTouch'
>;

/**
 * Starts chromium with a new, empty user data directory (no cookies, no cache, nothing from
 * another test) and opens one page. The directory is deleted on close.
 */
export async function openBrowser(options: SessionOptions = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: run scripts/install-chromium.sh first`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'gopy-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: PHONE_VIEWPORT,
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      javaScriptEnabled: true,
      acceptDownloads: false,
      ...options,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const found: string[] = [];
  const failedLoads: { text: string; url: string }[] = [];
  const documents = new Set<string>();
  const watch = (p: Page) => {
    p.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      // "Failed to load resource" names no URL in its text; the location has it. The favicon
      // the browser asks for by itself only shows up here, not as a page response.
      if (message.text().startsWith('Failed to load resource'))
        failedLoads.push({ text: message.text(), url: message.location().url });
      else found.push(`console: ${message.text()}`);
    });
    p.on('pageerror', (error) => found.push(`pageerror: ${error.message}`));
    p.on('response', (response) => {
      if (response.request().resourceType() === 'document') documents.add(response.url());
      else if (response.status() >= 400) {
        found.push(`http ${response.status()}: ${response.request().method()} ${new URL(response.url()).pathname}`);
      }
    });
    p.on('requestfailed', (request) => {
      if (request.resourceType() !== 'document')
        found.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
    });
  };
  watch(page);
  context.on('page', watch);
  const problems = () => [
    ...found,
    // A page answered with 4xx is the test's business (a refused form is a 422); anything else is not.
    ...failedLoads.filter((f) => !documents.has(f.url)).map((f) => `console: ${f.text} (${f.url})`),
  ];
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A full-page PNG in test-output/screenshots/ (gitignored), for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
