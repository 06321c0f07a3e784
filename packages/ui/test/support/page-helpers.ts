/** Small waiting helpers over playwright-core pages (no test-runner expect library). */
import type { Page } from 'playwright-core';

/** Waits until `count(selector)` equals n; fails with the last count seen. */
export async function waitForCount(
  page: Page,
  selector: string,
  n: number,
  timeout = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = -1;
  while (Date.now() < deadline) {
    last = await page.locator(selector).count();
    if (last === n) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`expected ${n} × ${selector}, saw ${last}`);
}

/** Waits until the page URL satisfies `check`. */
export async function waitForUrl(
  page: Page,
  check: (url: URL) => boolean,
  timeout = 10_000,
): Promise<URL> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const url = new URL(page.url());
    if (check(url)) return url;
    await page.waitForTimeout(50);
  }
  throw new Error(`URL never matched, last ${page.url()}`);
}

/** Texts of every element matching selector, trimmed. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allInnerTexts()).map((t) => t.trim());
}
