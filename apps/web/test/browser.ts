import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), not a browser build Playwright downloads. */
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../test-results/screenshots/", import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a screenshot of the page as it is now (test-results/screenshots, ignored by git). */
export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
